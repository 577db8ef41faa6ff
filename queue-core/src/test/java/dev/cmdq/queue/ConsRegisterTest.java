package dev.cmdq.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsRegisterTest
{
    @Test
    void errFieldIsBits30To24()
    {
        assertEquals(0x7F00_0000, ConsRegister.ERR_MASK);
        assertEquals(24, ConsRegister.ERR_SHIFT);
        assertEquals(0, ConsRegister.err(0x00FF_FFFF));
        assertEquals(0, ConsRegister.err(0x8000_0000));
        assertEquals(1, ConsRegister.err(0x0100_0000));
        assertEquals(0x7F, ConsRegister.err(0xFFFF_FFFF));
        assertEquals(CommandError.ATC_INV_SYNC, ConsRegister.err(0x0300_0005));
    }

    @Test
    void withErrReplacesOnlyTheField()
    {
        for (int code = 0; code < 128; code++)
        {
            final int v = ConsRegister.withErr(0x80FF_FFFF, code);
            assertEquals(code, ConsRegister.err(v));
            assertEquals(0x80FF_FFFF, v & ~0x7F00_0000, "index, wrap, bit 31 and the rest kept");
            assertEquals(0x1234, ConsRegister.withErr(ConsRegister.withErr(0x1234, code), 0));
        }
        assertEquals(0x0000_0003, ConsRegister.withErr(3, 0x80), "code masked to 7 bits");
        assertEquals(0x7F00_0003, ConsRegister.withErr(3, -1), "code masked to 7 bits");
    }
}
