package dev.cmdq.bench.cli;

import dev.cmdq.bench.JmhRun;
import dev.cmdq.bench.ResultTable;
import org.openjdk.jmh.results.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.cmdq.bench.ResultTable.format;
import static dev.cmdq.bench.ResultTable.score;
import static dev.cmdq.bench.ResultTable.secondary;

/**
 * {@code cmdq bench-ring}: a short run of the ring benchmarks — single-thread cost per entry of cmdq
 * against JCTools SPSC and Agrona one-to-one (with allocation per entry), two-thread throughput next
 * to the placement probe, and the CMD_SYNC-style completion wait against a ping-pong round trip — as
 * a small table of ratios, plus the paths of JMH's JSON results.
 */
@Command(name = "bench-ring", mixinStandardHelpOptions = true,
    description = "Ring benchmarks: cmdq single-writer ring vs JCTools SPSC and Agrona one-to-one.")
public final class BenchRingCommand implements Callable<Integer>
{
    /** Target: cmdq cost per entry at batch 64 as a fraction of JCTools offer+poll (batch 1); stretch 0.5. */
    static final double TARGET_BATCH64 = 0.6;
    /** Target: cmdq cost per entry at batch 1 as a multiple of JCTools offer+poll. */
    static final double TARGET_BATCH1 = 1.5;

    @Option(names = "--quick", description = "One fork, short iterations (about a minute).")
    private boolean quick;

    @Option(names = "--forks", description = "Forks per benchmark (default 2, quick 1).")
    private Integer forks;

    @Option(names = "--single-only", description = "Only the single-thread cost per entry.")
    private boolean singleOnly;

    @Option(names = "--out", description = "Directory for JMH JSON results (default: target/cmdq-report).")
    private Path out = Path.of("target", "cmdq-report");

    /**
     * Runs the benchmarks and prints the tables.
     *
     * @return 0.
     * @throws Exception if JMH fails.
     */
    @Override
    public Integer call() throws Exception
    {
        final PrintStream o = System.out;
        final int f = forks != null ? forks : (quick ? 1 : 2);
        final Path singleJson = out.resolve("bench-ring-single.json");
        final Collection<RunResult> single = configure(new JmhRun(), f)
            .include("dev.cmdq.bench.ring.RingSingleThreadBenchmark")
            .gcProfiler(true)
            .json(singleJson)
            .run();
        printSingle(o, new ResultTable(single));
        o.println("JMH JSON: " + singleJson.toAbsolutePath());

        if (!singleOnly)
        {
            final Path twoJson = out.resolve("bench-ring-two-thread.json");
            final Collection<RunResult> two = configure(new JmhRun(), f)
                .include("dev.cmdq.bench.ring.RingTwoThreadBenchmark")
                .include("dev.cmdq.bench.probe.PlacementProbeBenchmark")
                .include("dev.cmdq.bench.ring.CompletionWaitBenchmark")
                .json(twoJson)
                .run();
            printTwoThread(o, new ResultTable(two));
            o.println("JMH JSON: " + twoJson.toAbsolutePath());
        }
        return 0;
    }

    private JmhRun configure(final JmhRun run, final int f)
    {
        return quick ? run.forks(f).iterations(2, 3, 0.5) : run.forks(f).iterations(3, 5, 1.0);
    }

    static void printSingle(final PrintStream o, final ResultTable t)
    {
        final double jc1 = score(t.find("jctoolsBatch1", null, null));
        o.println();
        o.println("Single thread: write + read of one 16-byte entry (ns per entry, lower is better)");
        o.printf(Locale.ROOT, "%-8s %5s %10s %8s %8s %14s %14s%n",
            "ring", "batch", "ns/entry", "+-", "B/entry", "x jctools@same", "x jctools@1");
        for (final String impl : new String[]{"cmdq", "jctools", "agrona"})
        {
            for (final int batch : new int[]{1, 64})
            {
                final RunResult r = t.find(impl + "Batch" + batch, null, null);
                final double s = score(r);
                final double jcSame = score(t.find("jctoolsBatch" + batch, null, null));
                o.printf(Locale.ROOT, "%-8s %5d %10s %8s %8s %14s %14s%n",
                    impl, batch, format(s, 2), format(ResultTable.error(r), 2),
                    format(secondary(r, "gc.alloc.rate.norm"), 3), format(s / jcSame, 2), format(s / jc1, 2));
            }
        }
        // The targets compare with JCTools' plain offer+poll (batch 1), as the foundation issue states them.
        final double c64 = score(t.find("cmdqBatch64", null, null)) / jc1;
        final double c1 = score(t.find("cmdqBatch1", null, null)) / jc1;
        o.printf(Locale.ROOT, "targets vs JCTools offer+poll: cmdq@64 = %sx (target <= %.2f) %s; cmdq@1 = %sx (target <= %.2f) %s%n",
            format(c64, 2), TARGET_BATCH64, verdict(c64 <= TARGET_BATCH64),
            format(c1, 2), TARGET_BATCH1, verdict(c1 <= TARGET_BATCH1));
    }

    static void printTwoThread(final PrintStream o, final ResultTable t)
    {
        final RunResult probe = t.find("pingPong", null, null);
        // Each side's operation is one hand-off; the group's average time is per hand-off per thread.
        final double rtt = 2 * score(probe);
        o.println();
        o.printf(Locale.ROOT, "Two threads (1 producer, 1 consumer): entries read per us; placement probe round trip = %s ns%n",
            format(rtt, 0));
        o.printf(Locale.ROOT, "%-8s %5s %14s %14s%n", "ring", "batch", "read/us", "x jctools");
        for (final int batch : new int[]{1, 64})
        {
            final double jc = secondary(t.find("jctools", "batch", Integer.toString(batch)), "read");
            for (final String impl : new String[]{"cmdq", "jctools", "agrona"})
            {
                final double read = secondary(t.find(impl, "batch", Integer.toString(batch)), "read");
                o.printf(Locale.ROOT, "%-8s %5d %14s %14s%n", impl, batch, format(read, 2), format(read / jc, 2));
            }
        }
        final RunResult sync = t.find("completionWait", null, null);
        if (sync != null)
        {
            final double syncNs = secondary(sync, "syncNanos") / secondary(sync, "syncs");
            final double pingNs = secondary(sync, "pingNanos") / secondary(sync, "pings");
            o.printf(Locale.ROOT,
                "CMD_SYNC-style completion wait: %s ns; ping-pong round trip in alternating windows: %s ns; ratio %s%n",
                format(syncNs, 0), format(pingNs, 0), format(syncNs / pingNs, 2));
        }
        o.println("Two-thread results depend on vCPU placement on this 2-vCPU machine: compare them only within this run.");
    }

    private static String verdict(final boolean met)
    {
        return met ? "MET" : "MISSED";
    }
}
