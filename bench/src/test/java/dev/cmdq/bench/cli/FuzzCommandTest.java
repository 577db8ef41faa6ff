package dev.cmdq.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.cmdq.bench.fuzz.FuzzContext;
import dev.cmdq.bench.fuzz.FuzzOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cmdq fuzz}: the command line (report last line, files, exit codes) and the CI short runs — a
 * fixed-seed run in process whose every count must equal the committed baseline in
 * {@code src/test/resources/expected/} (a regression check: a change in behaviour shows up as a changed
 * count), besides the run's own checks passing.
 */
class FuzzCommandTest
{
    @TempDir
    Path dir;

    @Test
    void aShortRunPassesAndWritesBothReportFiles() throws IOException
    {
        final CliRun run = CliRun.run("fuzz", "--seed", "5", "--commands", "4000", "--report-dir", dir.toString());
        assertEquals(0, run.exit(), run.err());
        final String[] lines = run.outLines();
        assertEquals("4000 passed, 0 failed", lines[lines.length - 1]);
        assertTrue(run.out().startsWith("revision: "), run.out());
        final String json = Files.readString(dir.resolve("fuzz.json"), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"harness\":\"fuzz\",\"revision\":\""), json);
        assertTrue(json.contains("\"seed\":5,\"commands\":4000"), json);
        assertTrue(json.contains("\"failed\":0"), json);
        final String text = Files.readString(dir.resolve("fuzz.txt"), StandardCharsets.UTF_8);
        assertTrue(text.strip().endsWith("4000 passed, 0 failed"), text);
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        final CliRun negative = CliRun.run("fuzz", "--commands", "-1", "--report-dir", dir.toString());
        assertEquals(2, negative.exit());
        assertTrue(negative.err().contains("--commands: must be >= 0, was -1"), negative.err());
        final CliRun vsid = CliRun.run("fuzz", "--vsids", "1,1", "--report-dir", dir.toString());
        assertEquals(2, vsid.exit());
        assertTrue(vsid.err().contains("vSID 1 given twice"), vsid.err());
    }

    @Test
    void ciShortRunMatchesTheCommittedCounts() throws IOException
    {
        compare("fuzz-seed1-200k.properties",
            FuzzCommand.run(1, 200_000, new FuzzContext(FuzzCommand.DEFAULT_VSIDS, false, FuzzOutcome.ILL)));
    }

    @Test
    void ciShortStrictRunMatchesTheCommittedCounts() throws IOException
    {
        compare("fuzz-strict-seed3-100k.properties",
            FuzzCommand.run(3, 100_000, new FuzzContext(FuzzCommand.DEFAULT_VSIDS, true, FuzzOutcome.ILL)));
    }

    private static void compare(final String baseline, final FuzzCommand.Result result) throws IOException
    {
        assertEquals(0, result.failed(), result.text());
        final Properties expected = new Properties();
        try (InputStream in = FuzzCommandTest.class.getResourceAsStream("/expected/" + baseline))
        {
            assertNotNull(in, baseline + " on the test class path");
            expected.load(in);
        }
        final SortedMap<String, Long> counts = result.counts();
        final SortedMap<String, String> differences = new TreeMap<>();
        for (final String key : expected.stringPropertyNames())
        {
            final Long actual = counts.get(key);
            if (actual == null || actual != Long.parseLong(expected.getProperty(key)))
            {
                differences.put(key, "expected " + expected.getProperty(key) + ", was " + actual);
            }
        }
        for (final String key : counts.keySet())
        {
            if (!expected.containsKey(key))
            {
                differences.put(key, "not in the baseline, was " + counts.get(key));
            }
        }
        assertEquals(new TreeMap<String, String>(), differences, baseline + " (regenerate with the command in its header only for an intended change)");
        assertTrue(counts.get("predicted.TRAPPED_CMDQ.FORWARD") > 0 && counts.get("recoveries.GUEST_VCMDQ") > 0,
            "the run exercised forwards and guest halts");
    }
}
