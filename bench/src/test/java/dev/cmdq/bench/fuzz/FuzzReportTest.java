package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Counting, the text form's last line, the JSON form's content and escaping, and the sample cap.
 */
class FuzzReportTest
{
    private static final FuzzContext CONTEXT = new FuzzContext(new int[] {5, 0x20}, true, FuzzOutcome.IGNORE);

    private static FuzzReport threeCommands()
    {
        final FuzzReport r = new FuzzReport(42, 3, 1, 2, 3, CONTEXT);
        r.record(0, FuzzQueueKind.MAIN_CMDQ, FuzzFlavour.VALID, FuzzCorruption.NONE, 0x46, 0,
            FuzzVerdict.of(OracleRule.ACCEPTED, FuzzOutcome.NONE), FuzzOutcome.NONE, FuzzCheck.PASSED, null);
        r.record(1, FuzzQueueKind.GUEST_VCMDQ, FuzzFlavour.CORRUPTED, FuzzCorruption.UNOWNED_SID, 0x0000_0006_0000_0040L, 0,
            FuzzVerdict.of(OracleRule.UNMATCHED_SID, FuzzOutcome.ILL_ACCESS), FuzzOutcome.NONE, FuzzCheck.WRONG_OUTCOME, null);
        r.recordRecovery(FuzzQueueKind.TRAPPED_CMDQ);
        r.record(2, FuzzQueueKind.TRAPPED_CMDQ, FuzzFlavour.RANDOM, FuzzCorruption.NONE, 0x50, 0,
            FuzzVerdict.of(OracleRule.UNKNOWN_OPCODE, FuzzOutcome.ILL), -1, FuzzCheck.EXCEPTION,
            "submit threw java.lang.IllegalStateException: \"bad\"\n");
        return r;
    }

    @Test
    void countsPerKindOutcomeFlavourCorruptionAndCheck()
    {
        final FuzzReport r = threeCommands();
        assertEquals(1, r.passed());
        assertEquals(2, r.failed());
        assertEquals(1, r.predicted(FuzzQueueKind.MAIN_CMDQ, FuzzOutcome.NONE));
        assertEquals(1, r.predicted(FuzzQueueKind.GUEST_VCMDQ, FuzzOutcome.ILL_ACCESS));
        assertEquals(0, r.predicted(FuzzQueueKind.GUEST_VCMDQ, FuzzOutcome.NONE));
        assertEquals(1, r.count(FuzzFlavour.CORRUPTED));
        assertEquals(2, r.count(FuzzCorruption.NONE));
        assertEquals(1, r.count(FuzzCheck.EXCEPTION));
        assertEquals(1, r.recoveries(FuzzQueueKind.TRAPPED_CMDQ));
        assertEquals(2, r.sampleCount());
        assertEquals("command 1 GUEST_VCMDQ CORRUPTED/UNOWNED_SID 0000000600000040:0000000000000000 expected "
            + "CERROR_ILL_ACCESS (UNMATCHED_SID) observed CERROR_NONE: WRONG_OUTCOME", r.sample(0));
        assertThrows(IndexOutOfBoundsException.class, () -> r.sample(2));
    }

    @Test
    void textEndsWithPassedAndFailed()
    {
        final String text = threeCommands().toText();
        assertTrue(text.startsWith("cmdq fuzz: seed=42 commands=3 weights random=1 valid=2 corrupted=3"), text);
        assertTrue(text.endsWith(System.lineSeparator() + "1 passed, 2 failed"), text);
        assertTrue(text.contains("FAILED command 2 TRAPPED_CMDQ RANDOM/NONE"), text);
        assertTrue(text.contains("strictReservedBits=true"), text);
    }

    @Test
    void jsonCarriesTheSameDataWithStringsEscaped()
    {
        final String json = threeCommands().toJson();
        assertTrue(json.startsWith("{\"seed\":42,\"commands\":3,\"weights\":{\"random\":1,\"valid\":2,\"corrupted\":3}"), json);
        assertTrue(json.contains("\"context\":{\"ownedVsids\":[5,32],\"strictReservedBits\":true,\"unownedSidTrapped\":\"IGNORE\"}"), json);
        assertTrue(json.contains("\"GUEST_VCMDQ\":{\"CERROR_NONE\":0,\"CERROR_ILL\":0,\"CERROR_ABT\":0,"
            + "\"CERROR_ATC_INV_SYNC\":0,\"CERROR_ILL_ACCESS\":1,"), json);
        assertTrue(json.contains("\"dword0\":\"0x0000000600000040\""), json);
        assertTrue(json.contains("\"detail\":\"submit threw java.lang.IllegalStateException: \\\"bad\\\"\\u000a\""), json);
        assertTrue(json.contains("\"observed\":\"nothing\""), json);
        assertTrue(json.endsWith("\"passed\":1,\"failed\":2}"), json);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if (inString)
            {
                i += c == '\\' ? 1 : 0;
                inString = c != '"';
                continue;
            }
            inString = c == '"';
            depth += c == '{' || c == '[' ? 1 : c == '}' || c == ']' ? -1 : 0;
            assertTrue(depth >= 0, json.substring(0, i));
        }
        assertEquals(0, depth, json);
    }

    @Test
    void keepsOnlyTheFirstSamplesButCountsAllFailures()
    {
        final FuzzReport r = new FuzzReport(1, 100, 1, 0, 0, CONTEXT);
        for (int i = 0; i < 100; i++)
        {
            r.record(i, FuzzQueueKind.MAIN_CMDQ, FuzzFlavour.RANDOM, FuzzCorruption.NONE, i, 0,
                FuzzVerdict.of(OracleRule.UNKNOWN_OPCODE, FuzzOutcome.ILL), FuzzOutcome.NONE, FuzzCheck.WRONG_OUTCOME, null);
        }
        assertEquals(100, r.failed());
        assertEquals(FuzzReport.MAX_SAMPLES, r.sampleCount());
        assertTrue(r.toText().contains("(" + (100 - FuzzReport.MAX_SAMPLES) + " more failures not shown)"));
        assertTrue(r.toText().endsWith("0 passed, 100 failed"));
    }
}
