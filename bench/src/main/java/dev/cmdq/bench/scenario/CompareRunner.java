package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every row on every path of a {@link CompareSettings}, each on a freshly wired system from the
 * {@link PathFactory}, in the settings' timing mode, telling a {@link Progress} as it goes.
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
        return settings.threads().size() * settings.granules().size() * settings.paths().size();
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
