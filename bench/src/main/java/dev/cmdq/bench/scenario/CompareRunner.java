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

    /** Blocks a simulated row's measured rounds are split into, alternating between the paths. */
    static final int BLOCKS = 10;

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
                rows.add(settings.mode() == TimingMode.SIMULATED ? simulatedRow(settings, workload) : realRow(settings, workload));
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
     * @return tasks the run has (one warm-up per path, one task per row), for a progress display.
     */
    public static int tasks(final CompareSettings settings)
    {
        return settings.threads().size() * settings.granules().size() + settings.paths().size();
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

    /**
     * Simulated row: every path's system open at once, warmed up, then measured in {@value #BLOCKS}
     * alternating blocks of rounds, so load from elsewhere on the machine is shared out evenly.
     */
    private CompareRow simulatedRow(final CompareSettings settings, final Workload workload)
    {
        final CompareRow row = new CompareRow(workload);
        final List<UnmapPath> paths = new ArrayList<>();
        try
        {
            final SimulatedRunner runner = new SimulatedRunner(settings.warmupRounds(), settings.rounds(), settings.seed());
            progress.begin(workload.granuleLabel() + " x" + workload.threads(), (long)runner.totalRounds() * settings.paths().size());
            final List<SimulatedRunner.Session> sessions = new ArrayList<>();
            for (final PathKind kind : settings.paths())
            {
                final UnmapPath path = factory.open(kind, workload, settings.costs(), settings.mode());
                paths.add(path);
                describe(path);
                sessions.add(runner.session(path, kind, workload, settings.costs(), progress));
            }
            for (final SimulatedRunner.Session session : sessions)
            {
                session.warmUp();
            }
            final int block = Math.max(1, runner.rounds() / BLOCKS);
            for (int done = 0; done < runner.rounds(); done += block)
            {
                final int n = Math.min(block, runner.rounds() - done);
                for (final SimulatedRunner.Session session : sessions)
                {
                    session.measure(n);
                }
            }
            for (final SimulatedRunner.Session session : sessions)
            {
                row.put(session.result());
            }
            progress.end();
            return row;
        }
        finally
        {
            for (final UnmapPath path : paths)
            {
                path.close();
            }
        }
    }

    /** Real row: one path at a time (each runs its own threads). */
    private CompareRow realRow(final CompareSettings settings, final Workload workload)
    {
        final CompareRow row = new CompareRow(workload);
        progress.begin(workload.granuleLabel() + " x" + workload.threads(), 2L * settings.paths().size());
        for (final PathKind kind : settings.paths())
        {
            try (UnmapPath path = factory.open(kind, workload, settings.costs(), settings.mode()))
            {
                describe(path);
                row.put(new RealRunner(settings.warmupNs(), settings.durationNs(), settings.seed())
                    .run(path, kind, workload, settings.costs(), progress));
            }
        }
        progress.end();
        return row;
    }

    private void describe(final UnmapPath path)
    {
        for (final String line : path.describe())
        {
            if (!systemLines.contains(line))
            {
                systemLines.add(line);
            }
        }
    }
}
