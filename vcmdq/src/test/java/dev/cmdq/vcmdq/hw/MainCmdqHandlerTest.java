package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.smmu.validate.ReservedBits;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

/**
 * The main CMDQ: every valid command reaches the execution unchanged (no substitution: the host owns
 * it), an illegal one halts only the main CMDQ while a guest VCMDQ keeps running, and a CMD_SYNC with
 * CS=IRQ writes its completion word back.
 */
class MainCmdqHandlerTest
{
    @Test
    void validCommandsPassUnchanged()
    {
        try (HwRig rig = new HwRig())
        {
            rig.main.push(0x10 | (0x33L << 32), 0);
            rig.main.push(0x03 | (0x1234L << 32), 1);
            rig.main.push(0x40 | (0x77L << 32), 52); // SIZE=52: the whole ATC of SID 0x77
            rig.run(1);
            assertEquals(3, rig.exec.count);
            assertEquals(0x10 | (0x33L << 32), rig.exec.dw0[0]);
            assertEquals(0x03 | (0x1234L << 32), rig.exec.dw0[1]);
            assertEquals(1, rig.exec.dw1[1]);
            assertEquals(0x40 | (0x77L << 32), rig.exec.dw0[2]);
        }
    }

    @Test
    void anIllegalCommandHaltsTheMainCmdqOnly()
    {
        try (HwRig rig = new HwRig(HardwarePolicy.DEFAULT.withReservedBits(ReservedBits.CHECKED)))
        {
            rig.vintf(1, 5, false);
            final TestRing guest = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            rig.main.push(0x11, 0).push(0xFF, 0).push(0x11, 0);  // 0xFF: unknown opcode
            guest.push(0x11, 0);
            rig.run(2);
            assertEquals(1, rig.main.cons());
            assertEquals(CommandError.ILL, rig.main.err());
            assertTrue(guest.drained());
            assertEquals(0, rig.cmdqv.cmdqErrMap(0), "a main-CMDQ error is not a VCMDQ error");
            rig.main.push(0x11, 0);
            guest.push(0x11, 0);
            rig.run(1);
            assertEquals(1, rig.main.cons());
            assertTrue(guest.drained());
        }
    }

    @Test
    void aSyncWithCsIrqWritesItsCompletionWord()
    {
        try (HwRig rig = new HwRig())
        {
            final long slot = rig.smmu.mainCmdqMemory().deviceAddress() + rig.main.slotOffset(rig.main.prod);
            rig.main.push(0x46 | (1L << 12) | (0xABCDL << 32), slot);
            rig.run(1);
            assertEquals(0xABCD, rig.main.buffer.getInt(rig.main.slotOffset(0), ByteOrder.LITTLE_ENDIAN));
            assertEquals(1, rig.smmu.engine().mainConsumer().writeBacks());
        }
    }
}
