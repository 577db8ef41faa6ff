package dev.cmdq.bench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.testbed.EngineMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stress harness end to end: the CI short run (inline, fixed seed) passes every check and matches the
 * committed baseline count for count; a short threaded run (real concurrency) passes every check, the
 * exactly-once books settling every command it issued; a threaded run whose SMMU loses or duplicates one
 * command reports a violation naming that command's owner and VM; bad parameters are refused by name.
 */
class StressRunTest
{
    /** Steps per producer of the CI run; a system property so a longer local run is one flag away. */
    private static final long CI_STEPS = Long.getLong("cmdq.stress.steps", 300);

    @Test
    void ciShortInlineRunMatchesTheCommittedCounts() throws IOException
    {
        final StressCounts counts = StressRun.run(new StressConfig(6, 2, 0, CI_STEPS, 1, EngineMode.INLINE));
        assertEquals(0, counts.get(StressCounts.VIOLATIONS), String.valueOf(counts.samples()));
        assertEquals(counts.get(StressCounts.COMMANDS), counts.get(StressCounts.SETTLED_COMMANDS), "every command settled exactly once");
        // positive evidence that the run did what it claims
        assertTrue(counts.get(StressCounts.COMMANDS) > 100 && counts.get(StressCounts.INJECTED_FAULTS) > 10
            && counts.get(StressCounts.VMS_DESTROYED) > 6 && counts.get(StressCounts.HOT_PLUGS) > 10, counts.toMap().toString());
        if (CI_STEPS != 300)
        {
            return; // the baseline is for the CI size only
        }
        final Properties expected = new Properties();
        try (InputStream in = StressRunTest.class.getResourceAsStream("/expected/stress-inline-seed1-300.properties"))
        {
            assertNotNull(in, "baseline on the test class path");
            expected.load(in);
        }
        final SortedMap<String, String> expectedMap = new TreeMap<>();
        for (final String key : expected.stringPropertyNames())
        {
            expectedMap.put(key, expected.getProperty(key));
        }
        final SortedMap<String, String> actual = new TreeMap<>();
        counts.toMap().forEach((k, v) -> actual.put(k, String.valueOf(v)));
        assertEquals(expectedMap, actual, "regression baseline (regenerate with the command in its header only for an intended change)");
    }

    @Test
    @Tag("stress")
    void shortThreadedRunHasNoViolations()
    {
        final StressCounts counts = StressRun.run(new StressConfig(6, 3, 2, 0, 7, EngineMode.THREADED));
        assertEquals(0, counts.get(StressCounts.VIOLATIONS), String.valueOf(counts.samples()));
        assertTrue(counts.get(StressCounts.COMMANDS) > 0 && counts.get(StressCounts.VMS_DESTROYED) >= 6, counts.toMap().toString());
        // Exactly once, counted at execution: with every VM torn down, every command a worker counted at
        // issue (all OK: no violation) was settled against the SMMU's books of the owner it names.
        assertTrue(counts.get(StressCounts.SETTLED_COMMANDS) > 0, counts.toMap().toString());
        assertEquals(counts.get(StressCounts.COMMANDS), counts.get(StressCounts.SETTLED_COMMANDS), counts.toMap().toString());
        assertEquals(0, counts.get(StressCounts.UNSETTLED_OWNERS), counts.toMap().toString());
    }

    @ParameterizedTest
    @CsvSource({"DROP, 0x40, 200", "DUPLICATE, 0x11, 300"})
    @Tag("stress")
    void aLostOrDuplicatedCommandInAThreadedRunIsAViolationNamingItsOwner(final CommandFault.Mode mode, final String opcode,
        final long nth)
    {
        // ATC_INV (0x40) names its device's pSID in dword 0 bits 63:32, TLBI_NH_ASID (0x11) its VMID in 47:32
        final CommandFault fault = new CommandFault(mode, Integer.decode(opcode), nth);
        final StressCounts counts = StressRun.run(new StressConfig(6, 3, 1, 0, 7, EngineMode.THREADED), fault);
        assertTrue(fault.faultedSmmu() != CommandFault.NONE, "the fault fired: " + counts.toMap());
        final long field = fault.faultedDword0() >>> 32;
        final String owner = opcode.equals("0x40") ? "pSID-named commands of psid 0x" + Long.toHexString(field) + " for " :
            "VMID-named commands of vmid " + (field & 0xFFFF) + " for ";
        final String expected = "exactly-once: smmu " + fault.faultedSmmu() + " executed ";
        assertTrue(counts.samples().stream().anyMatch(v -> v.startsWith(expected) && v.contains(owner) && v.contains(": vm")),
            mode + " of " + owner + " not reported: " + counts.samples());
    }

    @Test
    @Tag("stress")
    void shortThreadedRunsOverTheDispatchStrategiesHaveNoViolations()
    {
        for (final HostCmdqStrategy strategy : new HostCmdqStrategy[] {HostCmdqStrategy.DISPATCH_THREAD,
            HostCmdqStrategy.DISPATCH_COMBINING})
        {
            final StressCounts counts = StressRun.run(new StressConfig(4, 2, 1, 0, 9, EngineMode.THREADED, strategy));
            assertEquals(0, counts.get(StressCounts.VIOLATIONS), strategy + " " + counts.samples());
            assertTrue(counts.get(StressCounts.COMMANDS) > 0, strategy + " " + counts.toMap());
        }
    }

    @Test
    void badParametersAreRefusedByName()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StressConfig(0, 1, 1, 0, 1, EngineMode.INLINE))
            .getMessage().startsWith("vms:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StressConfig(2, 3, 1, 0, 1, EngineMode.INLINE))
            .getMessage().startsWith("producers:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StressConfig(2, 1, 0, 0, 1, EngineMode.INLINE))
            .getMessage().contains("at least one > 0"));
    }
}
