package dev.cmdq.bench.cli;

import dev.cmdq.bench.JmhRun;
import dev.cmdq.bench.ResultTable;
import org.openjdk.jmh.results.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.cmdq.bench.ResultTable.format;
import static dev.cmdq.bench.ResultTable.score;
import static dev.cmdq.bench.ResultTable.secondary;

/**
 * {@code cmdq bench-insert}: a short run of the multi-producer insertion benchmarks — every strategy and
 * Agrona's many-to-one ring, 1/2/4 producers, batch 1/8/64, with and without a sync per call — printed
 * as commands per second, ns per command, CMD_SYNCs executed per 1000 commands, the ratio to the
 * spin-lock baseline, and the placement probe's round trip from the same run.
 */
@Command(name = "bench-insert", mixinStandardHelpOptions = true,
    description = "Multi-producer insertion: Linux lock-free, spin lock, dispatch, Agrona many-to-one.")
public final class BenchInsertCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Shorter iterations.")
    private boolean quick;

    @Option(names = "--producers", split = ",", description = "Producer thread counts (default 1,2,4).")
    private int[] producers = {1, 2, 4};

    @Option(names = "--strategies", split = ",", description = "Strategy labels (default: all).")
    private String[] strategies;

    @Option(names = "--batches", split = ",", description = "Batch sizes (default 1,8,64).")
    private String[] batches = {"1", "8", "64"};

    @Option(names = "--forks", description = "Forks per benchmark (default 1).")
    private int forks = 1;

    @Option(names = "--out", description = "Directory for JMH JSON results (default: target/cmdq-report).")
    private Path out = Path.of("target", "cmdq-report");

    /**
     * Runs the benchmarks and prints the table.
     *
     * @return 0.
     * @throws Exception if JMH fails.
     */
    @Override
    public Integer call() throws Exception
    {
        final PrintStream o = System.out;
        final List<String> labels = new ArrayList<>();
        if (strategies != null)
        {
            labels.addAll(List.of(strategies));
        }
        else
        {
            for (final dev.cmdq.bench.insert.InsertStrategy s : dev.cmdq.bench.insert.InsertStrategy.values())
            {
                labels.add(s.label());
            }
        }
        final Path probeJson = out.resolve("bench-insert-probe.json");
        final double rtt = 2 * score(new ResultTable(configure(new JmhRun())
            .include("dev.cmdq.bench.probe.PlacementProbeBenchmark")
            .json(probeJson)
            .run()).find("pingPong", null, null));

        o.println();
        o.printf(Locale.ROOT, "Multi-producer insertion; placement probe round trip = %s ns (same run)%n", format(rtt, 0));
        o.printf(Locale.ROOT, "%-20s %3s %5s %5s %12s %10s %12s %12s %7s%n",
            "strategy", "P", "batch", "sync", "Mcmd/s", "ns/cmd", "syncs/1000", "x spin-lock", "errors");
        for (final int p : producers)
        {
            final Path json = out.resolve("bench-insert-" + p + "p.json");
            final Collection<RunResult> results = configure(new JmhRun())
                .include("dev.cmdq.bench.insert.InsertBenchmark")
                .threads(p)
                .param("strategy", labels.toArray(new String[0]))
                .param("batch", batches)
                .gcProfiler(true)
                .json(json)
                .run();
            for (final String batch : batches)
            {
                for (final String sync : new String[]{"false", "true"})
                {
                    final double spin = commandsPerUs(find(results, "spin-lock", batch, sync), batch);
                    for (final String label : labels)
                    {
                        final RunResult r = find(results, label, batch, sync);
                        final double perUs = commandsPerUs(r, batch);
                        final double syncsPer1000 = 1000 * secondary(r, "deviceSyncs") / secondary(r, "deviceCommands");
                        o.printf(Locale.ROOT, "%-20s %3d %5s %5s %12s %10s %12s %12s %7s%n",
                            label, p, batch, sync, format(perUs, 2), format(1000 / perUs, 1),
                            format(syncsPer1000, 1), format(perUs / spin, 2), format(secondary(r, "failedCalls"), 0));
                    }
                }
            }
            o.println("B/op (gc.alloc.rate.norm) per call, max over strategies: " +
                format(maxAlloc(results), 3) + "    JMH JSON: " + json.toAbsolutePath());
        }
        o.println("On 2 vCPUs the device thread (and a dispatcher's writer) compete with producers for cores:");
        o.println("compare strategies within one run; scaling claims need a bigger machine.");
        return 0;
    }

    private JmhRun configure(final JmhRun run)
    {
        return quick ? run.forks(forks).iterations(1, 2, 0.5) : run.forks(forks).iterations(2, 3, 1.0);
    }

    private static RunResult find(final Collection<RunResult> results, final String strategy, final String batch, final String sync)
    {
        for (final RunResult r : results)
        {
            if (strategy.equals(r.getParams().getParam("strategy")) && batch.equals(r.getParams().getParam("batch")) &&
                sync.equals(r.getParams().getParam("sync")))
            {
                return r;
            }
        }
        return null;
    }

    private static double commandsPerUs(final RunResult r, final String batch)
    {
        return score(r) * Integer.parseInt(batch);
    }

    private static double maxAlloc(final Collection<RunResult> results)
    {
        double max = 0;
        for (final RunResult r : results)
        {
            max = Math.max(max, secondary(r, "gc.alloc.rate.norm"));
        }
        return max;
    }
}
