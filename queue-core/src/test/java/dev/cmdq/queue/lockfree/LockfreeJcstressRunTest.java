package dev.cmdq.queue.lockfree;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs this package's jcstress tests (2 actors each) in a child JVM and reads the report, because
 * jcstress never exits non-zero (the same procedure as queue-core's {@code JcstressRunTest}). Passes only
 * if every planned result passed, the two real tests ran — valid-bit publication
 * ({@link ValidBitPublicationJcstress}) and the OWNED hand-over ({@link OwnedHandoverJcstress}) — and
 * both negative controls ({@link ValidBitBeforeEntryRaceJcstress}, {@link OwnerProdBeforeProdRaceJcstress})
 * did observe their races, proof the harness can see them on this machine.
 */
@Tag("stress")
class LockfreeJcstressRunTest
{
    private static final String PACKAGE = "dev.cmdq.queue.lockfree.";
    private static final List<String> TESTS = List.of("ValidBitPublicationJcstress", "OwnedHandoverJcstress",
        "ValidBitBeforeEntryRaceJcstress", "OwnerProdBeforeProdRaceJcstress");
    private static final List<String> RACES = List.of("ValidBitBeforeEntryRaceJcstress", "OwnerProdBeforeProdRaceJcstress");
    private static final long RUN_LIMIT_S = 60;

    @Test
    void publicationAndHandoverHoldAndTheNegativeControlsRace() throws Exception
    {
        assertTestListNamesEveryTest();

        final Path dir = Path.of("target", "jcstress-lockfree").toAbsolutePath();
        Files.createDirectories(dir);
        final Path output = dir.resolve("jcstress-output.txt");
        final String moduleFlags = String.join(" ", moduleFlags());

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(moduleFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.openjdk.jcstress.Main");
        command.addAll(List.of("-t", PACKAGE.replace(".", "\\.") + ".*Jcstress",
            "-m", "quick", "-sc", "false", "-iters", "3", "-time", "150", "-v",
            "-r", dir.resolve("report").toString()));
        if (!moduleFlags.isEmpty())
        {
            command.add("-jvmArgs");
            command.add(moduleFlags);
        }

        final Process process = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(RUN_LIMIT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("jcstress did not finish within " + RUN_LIMIT_S + " s; output in " + output);
        }
        final String text = Files.readString(output, StandardCharsets.UTF_8);
        final String where = " (see " + output + ")";

        final Matcher totals = Pattern.compile(
            "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)").matcher(text);
        String last = null;
        int planned = 0;
        int passed = 0;
        int failed = -1;
        int errors = -1;
        while (totals.find())
        {
            last = totals.group();
            planned = Integer.parseInt(totals.group(1));
            passed = Integer.parseInt(totals.group(2));
            failed = Integer.parseInt(totals.group(3));
            errors = Integer.parseInt(totals.group(4)) + Integer.parseInt(totals.group(5));
        }
        assertNotNull(last, "no result line" + where);
        assertTrue(planned >= TESTS.size(), last + where);
        assertEquals(planned, passed, last + where);
        assertEquals(0, failed, last + where);
        assertEquals(0, errors, last + where);

        final int runResults = text.indexOf("RUN RESULTS:");
        assertTrue(runResults >= 0, "no summary" + where);
        final String summary = text.substring(runResults);
        assertTrue(summary.contains("Failed tests: No matches."), "failed tests" + where);
        assertTrue(summary.contains("Error tests: No matches."), "error tests" + where);
        for (final String test : TESTS)
        {
            assertTrue(summary.contains("[OK] " + PACKAGE + test), test + " ran and passed" + where);
        }
        for (final String race : RACES)
        {
            assertTrue(interestingSamples(summary, PACKAGE + race) > 0,
                race + " never observed its race: the harness proves nothing" + where);
        }
    }

    /** Sums the "Interesting" samples in one test's "Results across all configurations" table. */
    private static long interestingSamples(final String summary, final String test)
    {
        final int start = summary.indexOf("[OK] " + test);
        final int next = summary.indexOf("..........", start + 1);
        final String block = summary.substring(start, next < 0 ? summary.length() : next);
        final Matcher row = Pattern.compile("^\\s+[-\\d, ]+?\\s+([\\d,]+)\\s+\\S+%?\\s+Interesting", Pattern.MULTILINE)
            .matcher(block);
        long samples = 0;
        while (row.find())
        {
            samples += Long.parseLong(row.group(1).replace(",", ""));
        }
        return samples;
    }

    private static void assertTestListNamesEveryTest() throws IOException
    {
        try (InputStream in = LockfreeJcstressRunTest.class.getResourceAsStream("/META-INF/TestList"))
        {
            assertNotNull(in, "META-INF/TestList missing: the jcstress annotation processor did not run");
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (final String test : TESTS)
            {
                assertTrue(list.contains(PACKAGE + test), test + " in TestList");
            }
        }
    }

    private static List<String> moduleFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-exports") || arg.startsWith("--add-opens") ||
                arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access"))
            {
                flags.add(arg);
            }
        }
        return flags;
    }
}
