package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GlobalError;
import org.junit.jupiter.api.Test;

/**
 * A VCMDQ's registers and its teardown (vcmdq-viommu.md §1.9 step 5): disable, then deinit zeroes PROD,
 * CONS, BASE and CONS_INDX_BASE and clears a leftover error; a queue still enabled refuses the reset; a
 * reset queue starts afresh at index 0 with a new BASE.
 */
class VcmdqTest
{
    @Test
    void teardownAfterAnErrorLeavesCleanRegistersAndTheQueueRestartsAtZero()
    {
        try (HwRig rig = new HwRig())
        {
            rig.vintf(1, 3, false);
            final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            final Vcmdq vcmdq = rig.cmdqv.vcmdq(2);
            q.push(0x11, 0).push(0x11, 0).push(0x10, 0);   // the third is forbidden: halts at 2
            rig.run(1);
            assertEquals(2, q.cons());
            assertEquals(CommandError.ILL_ACCESS, q.err());

            final IllegalStateException enabled = assertThrows(IllegalStateException.class, vcmdq::reset);
            assertTrue(enabled.getMessage().contains("vcmdq 2"), enabled.getMessage());

            vcmdq.writeConfig(0);
            rig.run(1);
            assertFalse(vcmdq.isEnabled());
            assertEquals(0, rig.cmdqv.cmdqErrMap(0), "a disabled queue is no longer in the error map");
            vcmdq.reset();
            assertEquals(0, vcmdq.registers().getProdAcquire());
            assertEquals(0, vcmdq.registers().getConsAcquire());
            assertEquals(0, vcmdq.base());
            assertEquals(0, GlobalError.active(vcmdq.registers().getGerrorAcquire(), vcmdq.registers().getGerrornAcquire()));
            assertNull(vcmdq.memory());

            final TestRing again = rig.vcmdq(1, 0, HwRig.GUEST_BASE + 0x2000, 3);
            assertEquals(0, again.prod);
            again.push(0x11 | (0x77L << 48), 0);
            rig.run(1);
            assertTrue(again.drained());
            assertEquals(0x77, rig.exec.asid((int)rig.exec.count - 1));
        }
    }

    @Test
    void configAndBaseReadBackWhatWasWritten()
    {
        try (HwRig rig = new HwRig())
        {
            final Vcmdq vcmdq = rig.cmdqv.vcmdq(5);
            assertEquals(5, vcmdq.index());
            vcmdq.writeBase(VcmdqLayout.base(0x1234_5000L, 7));
            assertEquals(0x1234_5007L, vcmdq.base());
            vcmdq.writeConfig(1);
            assertEquals(1, vcmdq.config());
            assertEquals(0, vcmdq.status(), "STATUS changes only when the engine runs");
        }
    }
}
