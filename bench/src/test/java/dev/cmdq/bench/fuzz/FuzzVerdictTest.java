package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Packing of verdicts and their text form.
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
}
