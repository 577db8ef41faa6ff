package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every row on every path of a {@link CompareSettings}, each on a freshly wired system from the
 * {@link PathFactory}, in the settings' timing mode, telling a {@link Progress} as it goes; first one
 * unrecorded warm-up pass over every row and path.
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
     * @return tasks the run has (a warm-up and a measurement per row), for a progress display.
     */
    public static int tasks(final CompareSettings settings)
    {
        return 2 * settings.threads().size() * settings.granules().size();
    }

    /**
     * One unrecorded pass over every row and path before the first measured one: the JIT compiles each
     * row's code paths (a 4K unmap takes other branches than a 256K one) on a busy 2-core machine only
     * after many thousand calls, and a row measured before that looks several times slower than the
     * same row measured later.
     */
    private void warmUp(final CompareSettings settings)
    {
        for (final int t : settings.threads())
        {
            for (final long g : settings.granules())
            {
                final Workload workload = settings.workload(g, t);
                progress.begin("warm-up " + workload.granuleLabel() + " x" + t, settings.paths().size());
                for (final PathKind kind : settings.paths())
                {
                    try (UnmapPath path = factory.open(kind, workload, settings.costs(), settings.mode()))
                    {
                        if (settings.mode() == TimingMode.SIMULATED)
                        {
                            new SimulatedRunner(settings.warmupRounds(), 1, settings.seed(), settings.hostLoad())
                                .run(path, kind, workload, settings.costs(), Progress.NONE);
                        }
                        else
                        {
                            new RealRunner(0, settings.warmupNs(), settings.seed()).run(path, kind, workload, settings.costs(), Progress.NONE);
                        }
                    }
                    progress.advance(1);
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
            final SimulatedRunner runner = new SimulatedRunner(settings.warmupRounds(), settings.rounds(), settings.seed(), settings.hostLoad());
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
