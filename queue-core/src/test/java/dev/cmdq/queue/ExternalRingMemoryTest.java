package dev.cmdq.queue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalRingMemoryTest
{
    private final ByteBuffer ram = ByteBuffer.allocateDirect(4096 + 16);
    private final UnsafeBuffer guest = new UnsafeBuffer(ram);
    private final long aligned = (guest.addressOffset() + 15) & ~15L;

    private static void assertNames(final String argument, final Runnable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(argument), "message names " + argument + ": " + e.getMessage());
    }

    @Test
    void addressValidationNamesTheArgument()
    {
        assertNames("address=0x0", () -> ExternalRingMemory.wrap(0L, 4096, 2, 0));
        assertNames("address=0x" + Long.toHexString(aligned + 8), () -> ExternalRingMemory.wrap(aligned + 8, 4096, 2, 0));
        assertNames("length=63", () -> ExternalRingMemory.wrap(aligned, 63, 2, 0));
        assertNames("log2Size=0", () -> ExternalRingMemory.wrap(aligned, 4096, 0, 0));
        assertNames("log2Size=20", () -> ExternalRingMemory.wrap(aligned, 4096, 20, 0));
        assertEquals(4, ExternalRingMemory.wrap(aligned, 64, 2, 0).capacity(), "exactly enough is enough");
    }

    @Test
    void bufferValidationNamesTheArgument()
    {
        assertNames("memory", () -> ExternalRingMemory.wrap(new UnsafeBuffer(new byte[4096]), 0, 2, 0));
        assertNames("offset=-16", () -> ExternalRingMemory.wrap(guest, -16, 2, 0));
        assertNames("offset=5000", () -> ExternalRingMemory.wrap(guest, 5000, 2, 0));
        final int offset = (int)(aligned - guest.addressOffset());
        assertNames("length=", () -> ExternalRingMemory.wrap(guest, offset + 4096 - 32, 2, 0));
        assertNames("address=", () -> ExternalRingMemory.wrap(guest, offset + 4, 2, 0));
    }

    @Test
    void viewsTheOwnersMemoryAndNeverFreesIt()
    {
        final int offset = (int)(aligned - guest.addressOffset()) + 256;
        final ExternalRingMemory ring = ExternalRingMemory.wrap(guest, offset, 3, 0x4000_0000L);
        assertEquals(0x4000_0000L, ring.deviceAddress());
        ring.buffer().putLong(16, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, guest.getLong(offset + 16), "same memory, no copy");
        ring.close();
        assertEquals(0x1122334455667788L, guest.getLong(offset + 16), "the owner's memory is still there");
        guest.putLong(offset + 16, 1);
        assertEquals(1, guest.getLong(offset + 16));
    }
}
