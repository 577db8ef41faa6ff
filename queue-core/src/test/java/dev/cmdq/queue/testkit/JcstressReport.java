package dev.cmdq.queue.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The text report of one jcstress run over a package's tests, and the JUnit checks on it. jcstress never
 * exits non-zero, so a module's {@code JcstressRunTest} runs it in a child JVM ({@link #run}), then asks
 * this report whether every planned result passed ({@link #assertAllPassed}) and whether each negative
 * control observed its race ({@link #interestingSamples}).
 *
 * <pre>
 *   JcstressReport report = JcstressReport.run("jcstress", TESTS, 150);   // fully qualified class names
 *   report.assertAllPassed(TESTS);
 *   assertTrue(report.interestingSamples("dev.cmdq.queue.jcstress.SomeRaceJcstress") &gt; 0);
 * </pre>
 *
 * <p>Assumes jcstress 0.16's console format ("(Results: N planned; ...)", "RUN RESULTS:", "[OK] test",
 * the "Results across all configurations" table with an Expect column) and quick mode, so a run stays
 * within seconds per test.
 */
public final class JcstressReport
{
    private static final Pattern TOTALS = Pattern.compile(
        "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final Pattern INTERESTING_ROW =
        Pattern.compile("^\\s+[\\d, \\-]+?\\s+([\\d,]+)\\s+\\S+%?\\s+Interesting", Pattern.MULTILINE);

    private final String text;
    private final String where;

    private JcstressReport(final String text, final Path output)
    {
        this.text = text;
        this.where = " (see " + output + ")";
    }

    /**
     * Runs jcstress in quick mode over exactly the named tests in a child JVM (which forks its own
     * workers), writing into {@code target/<runName>} of the module under test. First checks that the
     * annotation processor listed every test, since jcstress runs only what {@code META-INF/TestList} names.
     *
     * @param runName      directory under {@code target} for this run's output and report (one per run
     *                     test of a module, so their results do not mix).
     * @param tests        fully qualified class names of the tests to run (they may span packages).
     * @param limitSeconds bound on the child JVM; the run fails when it takes longer.
     * @return the report of the finished run.
     * @throws IOException          when the output cannot be written or read.
     * @throws InterruptedException when interrupted while waiting for the child.
     */
    public static JcstressReport run(final String runName, final List<String> tests, final long limitSeconds)
        throws IOException, InterruptedException
    {
        assertTestListNames(tests);

        final Path dir = Path.of("target", runName).toAbsolutePath();
        Files.createDirectories(dir);
        final Path output = dir.resolve("jcstress-output.txt");
        final List<String> flags = moduleFlags();

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.openjdk.jcstress.Main");
        command.addAll(List.of("-t", testFilter(tests),
            "-m", "quick", "-sc", "false", "-iters", "3", "-time", "150", "-v",
            "-r", dir.resolve("report").toString()));
        if (!flags.isEmpty())
        {
            command.add("-jvmArgs");
            command.add(String.join(" ", flags));
        }

        final Process process = new ProcessBuilder(command)
            .directory(dir.toFile()) // jcstress drops its result blob into the working directory
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(limitSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("jcstress did not finish within " + limitSeconds + " s; output in " + output);
        }
        return new JcstressReport(Files.readString(output, StandardCharsets.UTF_8), output);
    }

    /**
     * Asserts the run's last totals line shows every planned result passed with no failure or error, the
     * summary lists no failed or erroring test, and each named test ran and passed.
     *
     * @param tests fully qualified names of the tests that must have run and passed.
     */
    public void assertAllPassed(final List<String> tests)
    {
        final Matcher totals = TOTALS.matcher(text);
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
        assertTrue(planned >= tests.size(), last + where);
        assertEquals(planned, passed, last + where);
        assertEquals(0, failed, last + where);
        assertEquals(0, errors, last + where);

        final String summary = summary();
        assertTrue(summary.contains("Failed tests: No matches."), "failed tests" + where);
        assertTrue(summary.contains("Error tests: No matches."), "error tests" + where);
        for (final String test : tests)
        {
            assertTrue(summary.contains("[OK] " + test + "\n"), test + " ran and passed" + where);
        }
    }

    /**
     * Sums the samples of one test's ACCEPTABLE_INTERESTING outcomes in its "Results across all
     * configurations" table: above zero for a negative control means the harness saw the race here.
     *
     * @param test fully qualified name of the test.
     * @return interesting samples, 0 when the test observed none (or is not in the summary).
     */
    public long interestingSamples(final String test)
    {
        final String summary = summary();
        final int start = summary.indexOf("[OK] " + test + "\n");
        if (start < 0)
        {
            return 0;
        }
        final int next = summary.indexOf("..........", start + 1);
        final String block = summary.substring(start, next < 0 ? summary.length() : next);
        final Matcher row = INTERESTING_ROW.matcher(block);
        long samples = 0;
        while (row.find())
        {
            samples += Long.parseLong(row.group(1).replace(",", ""));
        }
        return samples;
    }

    /**
     * Asserts each named test observed at least one ACCEPTABLE_INTERESTING sample: a negative control saw
     * its race, or a positive test exercised the case it marks interesting.
     *
     * @param tests fully qualified names.
     * @param why   what a test without an interesting sample means, appended to its name in the message.
     */
    public void assertObserved(final List<String> tests, final String why)
    {
        for (final String test : tests)
        {
            assertTrue(interestingSamples(test) > 0, test + why + where);
        }
    }

    /**
     * @return where the output is, for assertion messages.
     */
    public String where()
    {
        return where;
    }

    private String summary()
    {
        final int runResults = text.indexOf("RUN RESULTS:");
        assertTrue(runResults >= 0, "no summary" + where);
        return text.substring(runResults);
    }

    /** The annotation processor must have generated the list jcstress runs from (else nothing would run). */
    private static void assertTestListNames(final List<String> tests) throws IOException
    {
        // Every module on the class path may bring its own list (queue-core's test-jar does): read them all.
        final StringBuilder lists = new StringBuilder();
        final Enumeration<URL> urls = JcstressReport.class.getClassLoader().getResources("META-INF/TestList");
        while (urls.hasMoreElements())
        {
            try (InputStream in = urls.nextElement().openStream())
            {
                lists.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        assertTrue(lists.length() > 0, "META-INF/TestList missing: the jcstress annotation processor did not run");
        for (final String test : tests)
        {
            assertTrue(lists.indexOf(test) >= 0, test + " in TestList");
        }
    }

    /** jcstress's -t is a regular expression over class names: exactly these, dots escaped. */
    private static String testFilter(final List<String> tests)
    {
        final StringBuilder filter = new StringBuilder("^(");
        for (int i = 0; i < tests.size(); i++)
        {
            filter.append(i == 0 ? "" : "|").append(tests.get(i).replace(".", "\\."));
        }
        return filter.append(")$").toString();
    }

    /** The module flags this JVM got from the parent pom, handed on to jcstress and its forks. */
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
