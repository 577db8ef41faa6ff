package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulated queue state's bit handling: LOG2SIZE clamp, CONS.ERR deposit and keep, the GERROR toggle.
 */
class EmulatedCmdqTest
{
    @Test
    void failSetsErrAndTogglesOnceAndAdvanceKeepsErr()
    {
        final EmulatedCmdq q = new EmulatedCmdq(8);
        q.base(0x4000_0000L | 12);
        assertEquals(8, q.log2Size(), "clamped to CMDQS");
        assertEquals(0x4000_0000L, q.baseAddress());
        q.cons(0x8000_0000 | 0x1FF);                 // bit 31 and a stale index
        q.fail(0x105, 1, 0x1FF);
        assertEquals(0x8000_0000 | (1 << 24) | 0x105, q.cons());
        assertEquals(1, q.gerror());
        assertTrue(q.cmdqErrorActive());
        q.fail(0x105, 2, 0x1FF);
        assertEquals(1, q.gerror(), "already active: not flipped back");
        assertEquals(0x8000_0000 | (2 << 24) | 0x105, q.cons());
        q.gerrorn(1);
        assertFalse(q.cmdqErrorActive());
        q.advance(0x107, 0x1FF);
        assertEquals(0x8000_0000 | (2 << 24) | 0x107, q.cons(), "ERR kept, as QEMU keeps it");
    }
}
