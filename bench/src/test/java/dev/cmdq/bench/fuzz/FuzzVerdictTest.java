package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Packing of verdicts, and the outcome and rule names reports print.
 */
class FuzzVerdictTest
{
    @Test
    void packsRuleAndOutcome()
    {
        final int v = FuzzVerdict.of(OracleRule.TRAP_UNOWNED_SID, FuzzOutcome.IGNORE);
        assertEquals(OracleRule.TRAP_UNOWNED_SID, FuzzVerdict.rule(v));
        assertEquals(FuzzOutcome.IGNORE, FuzzVerdict.outcome(v));
        assertEquals("IGNORE (TRAP_UNOWNED_SID)", FuzzVerdict.toString(v));
        assertEquals("CERROR_ILL_ACCESS (UNMATCHED_SID)",
            FuzzVerdict.toString(FuzzVerdict.of(OracleRule.UNMATCHED_SID, FuzzOutcome.ILL_ACCESS)));
    }

    @Test
    void outcomesThatHaltAQueue()
    {
        assertFalse(FuzzOutcome.halts(FuzzOutcome.NONE));
        assertTrue(FuzzOutcome.halts(FuzzOutcome.ILL));
        assertTrue(FuzzOutcome.halts(FuzzOutcome.ILL_ACCESS));
        assertFalse(FuzzOutcome.halts(FuzzOutcome.FORWARD));
        assertFalse(FuzzOutcome.halts(FuzzOutcome.IGNORE));
        assertEquals("OUTCOME_42", FuzzOutcome.name(42));
        assertEquals("CERROR_ATC_INV_SYNC", FuzzOutcome.name(FuzzOutcome.ATC_INV_SYNC));
    }
}
