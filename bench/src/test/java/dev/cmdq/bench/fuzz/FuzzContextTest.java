package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Owned-vSID lookups and the refused inputs.
 */
class FuzzContextTest
{
    @Test
    void ownsAndRanges()
    {
        final FuzzContext c = new FuzzContext(new int[] {0x20, 5}, true, FuzzOutcome.IGNORE);
        assertTrue(c.owns(5));
        assertTrue(c.owns(0x20));
        assertFalse(c.owns(6));
        assertFalse(c.owns(0x1_0000_0005L));
        assertEquals(5, c.ownedVsid(0));
        assertEquals(2, c.ownedCount());
        assertTrue(c.ownsAnyIn(4, 1));
        assertFalse(c.ownsAnyIn(6, 1));
        assertTrue(c.ownsAnyIn(0xffff_ffffL, 32));
        assertTrue(c.strictReservedBits());
        assertEquals(FuzzOutcome.IGNORE, c.unownedSidTrapOutcome());
    }

    @Test
    void badInputsNameTheOffendingValue()
    {
        assertEquals("ownedVsids[1]: vSID 1048576 does not fit SID_MATCH's 20 bits",
            assertThrows(IllegalArgumentException.class,
                () -> new FuzzContext(new int[] {1, 1 << 20}, false, FuzzOutcome.ILL)).getMessage());
        assertEquals("ownedVsids: vSID 3 given twice",
            assertThrows(IllegalArgumentException.class,
                () -> new FuzzContext(new int[] {3, 3}, false, FuzzOutcome.ILL)).getMessage());
        assertEquals("ownedVsids: 17 vSIDs, a VINTF has 16 SID slots",
            assertThrows(IllegalArgumentException.class,
                () -> new FuzzContext(new int[17], false, FuzzOutcome.ILL)).getMessage());
        assertEquals("unownedSidTrapOutcome: must be ILL or IGNORE, was FORWARD",
            assertThrows(IllegalArgumentException.class,
                () -> new FuzzContext(new int[0], false, FuzzOutcome.FORWARD)).getMessage());
    }
}
