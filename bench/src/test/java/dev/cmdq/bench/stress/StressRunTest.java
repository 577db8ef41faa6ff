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

/**
 * The stress harness end to end: the CI short run (inline, fixed seed) passes every check and matches the
 * committed baseline count for count; a short threaded run (real concurrency) passes every check; bad
 * parameters are refused by name.
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
