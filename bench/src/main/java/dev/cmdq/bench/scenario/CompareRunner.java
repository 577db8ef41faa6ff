package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every row on every path of a {@link CompareSettings}, each on a freshly wired system from the
 * {@link PathFactory}, in the settings' timing mode, telling a {@link Progress} as it goes; first one
 * unrecorded warm-up run per path on the largest row.
 */
public final class CompareRunner
{
    private final PathFactory factory;
    private final Progress progress;
    private final List<String> systemLines = new ArrayList<>();

    /**
     * @param factory  wires a path per row.
     * @param progress where progress goes.
     */
    public CompareRunner(final PathFactory factory, final Progress progress)
    {
        this.factory = factory;
        this.progress = progress;
    }

    /**
     * @param settings what to run.
     * @return one row per (threads, granule), threads outer, in the settings' order.
     */
    public List<CompareRow> run(final CompareSettings settings)
    {
        warmUp(settings);
        final List<CompareRow> rows = new ArrayList<>();
        for (final int t : settings.threads())
        {
            for (final long g : settings.granules())
            {
                final Workload workload = settings.workload(g, t);
                final CompareRow row = new CompareRow(workload);
                for (final PathKind kind : settings.paths())
                {
                    row.put(runOne(settings, workload, kind));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * @return every distinct line the wired paths described so far (hardware policy, topology, host).
     */
    public List<String> systemLines()
    {
        return List.copyOf(systemLines);
    }

    /**
     * @param settings the run's settings.
     * @return tasks the run has (rows times paths), for a progress display.
     */
    public static int tasks(final CompareSettings settings)
    {
        return (settings.threads().size() * settings.granules().size() + 1) * settings.paths().size();
    }

    /**
     * Runs every path once on the largest row, unrecorded, before the first measured row: otherwise the
     * first rows measure code the JIT has not finished compiling and the later rows look faster.
     */
    private void warmUp(final CompareSettings settings)
    {
        final long granule = settings.granules().stream().mapToLong(Long::longValue).max().orElseThrow();
        final int threads = settings.threads().stream().mapToInt(Integer::intValue).max().orElseThrow();
        final Workload workload = settings.workload(granule, threads);
        for (final PathKind kind : settings.paths())
        {
            try (UnmapPath path = factory.open(kind, workload, settings.costs(), settings.mode()))
            {
                progress.begin("warm-up " + workload.granuleLabel() + " x" + threads + " " + kind.label(), 1);
                if (settings.mode() == TimingMode.SIMULATED)
                {
                    new SimulatedRunner(settings.warmupRounds(), 1, settings.seed()).run(path, kind, workload, settings.costs(), Progress.NONE);
                }
                else
                {
                    new RealRunner(0, settings.warmupNs(), settings.seed()).run(path, kind, workload, settings.costs(), Progress.NONE);
                }
                progress.end();
            }
        }
    }

    private PathResult runOne(final CompareSettings settings, final Workload workload, final PathKind kind)
    {
        final String task = workload.granuleLabel() + " x" + workload.threads() + " " + kind.label();
        try (UnmapPath path = factory.open(kind, workload, settings.costs(), settings.mode()))
        {
            for (final String line : path.describe())
            {
                if (!systemLines.contains(line))
                {
                    systemLines.add(line);
                }
            }
            if (settings.mode() == TimingMode.SIMULATED)
            {
                final SimulatedRunner runner = new SimulatedRunner(settings.warmupRounds(), settings.rounds(), settings.seed());
                progress.begin(task, runner.totalRounds());
                final PathResult result = runner.run(path, kind, workload, settings.costs(), progress);
                progress.end();
                return result;
            }
            final RealRunner runner = new RealRunner(settings.warmupNs(), settings.durationNs(), settings.seed());
            progress.begin(task, 2);
            final PathResult result = runner.run(path, kind, workload, settings.costs(), progress);
            progress.end();
            return result;
        }
    }
}
