package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Outcome codes: the CERROR values of smmuv3-cmdq.md §1.4 / vcmdq-viommu.md §1.6, halting, names.
 */
class FuzzOutcomeTest
{
    @Test
    void cerrorCodesAreTheDocumentedValues()
    {
        assertEquals(0, FuzzOutcome.NONE);
        assertEquals(1, FuzzOutcome.ILL);
        assertEquals(2, FuzzOutcome.ABT);
        assertEquals(3, FuzzOutcome.ATC_INV_SYNC);
        assertEquals(4, FuzzOutcome.ILL_ACCESS);
    }

    @Test
    void onlyCerrorsOtherThanNoneHaltAQueue()
    {
        assertFalse(FuzzOutcome.halts(FuzzOutcome.NONE));
        assertTrue(FuzzOutcome.halts(FuzzOutcome.ILL));
        assertTrue(FuzzOutcome.halts(FuzzOutcome.ABT));
        assertTrue(FuzzOutcome.halts(FuzzOutcome.ILL_ACCESS));
        assertFalse(FuzzOutcome.halts(FuzzOutcome.FORWARD));
        assertFalse(FuzzOutcome.halts(FuzzOutcome.REINSTALL_STE));
        assertFalse(FuzzOutcome.halts(FuzzOutcome.COMPLETE_SYNC));
        assertFalse(FuzzOutcome.halts(FuzzOutcome.IGNORE));
        assertFalse(FuzzOutcome.halts(-1));
    }

    @Test
    void names()
    {
        assertEquals("CERROR_ATC_INV_SYNC", FuzzOutcome.name(FuzzOutcome.ATC_INV_SYNC));
        assertEquals("CERROR_ILL_ACCESS", FuzzOutcome.name(FuzzOutcome.ILL_ACCESS));
        assertEquals("COMPLETE_SYNC", FuzzOutcome.name(FuzzOutcome.COMPLETE_SYNC));
        assertEquals("OUTCOME_42", FuzzOutcome.name(42));
        assertFalse(FuzzOutcome.isValid(FuzzOutcome.COUNT));
        assertTrue(FuzzOutcome.isValid(FuzzOutcome.IGNORE));
    }
}
