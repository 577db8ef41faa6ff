package dev.cmdq.bench.scenario;

import java.util.SplittableRandom;

/**
 * Simulated time (package doc): runs the inline system round by round, each vCPU one unmap per round
 * in a seeded order, measures each step's CPU time with {@link System#nanoTime()} and feeds it with the
 * step's counts to a {@link SimulatedTimeline}. Warm-up rounds run first on a timeline of their own
 * and are not recorded. Allocation-free per step.
 */
public final class SimulatedRunner
{
    private final int warmupRounds;
    private final int rounds;
    private final long seed;

    /**
     * @param warmupRounds rounds run before measuring (JIT warm-up), {@code >= 0}.
     * @param rounds       measured rounds, {@code >= 1}; each vCPU unmaps once per round.
     * @param seed         seed of the step order and the IOVAs.
     */
    public SimulatedRunner(final int warmupRounds, final int rounds, final long seed)
    {
        if (warmupRounds < 0 || rounds < 1)
        {
            throw new IllegalArgumentException("warmupRounds=" + warmupRounds + " rounds=" + rounds +
                ": need warmupRounds >= 0 and rounds >= 1");
        }
        this.warmupRounds = warmupRounds;
        this.rounds = rounds;
        this.seed = seed;
    }

    /**
     * @param path     the wired path, inline.
     * @param kind     which path it is (trapped paths take the vSMMU lock).
     * @param workload the row.
     * @param costs    the modelled costs.
     * @param progress told after each round.
     * @return the measured result.
     */
    public PathResult run(
        final UnmapPath path, final PathKind kind, final Workload workload, final CostProfile costs, final Progress progress)
    {
        final int threads = workload.threads();
        final SplittableRandom order = new SplittableRandom(seed);
        final IovaSequence[] iovas = new IovaSequence[threads];
        for (int v = 0; v < threads; v++)
        {
            iovas[v] = new IovaSequence(seed, v, workload.bufferBytes());
        }
        final int[] schedule = new int[threads];
        final PathCounts before = new PathCounts();
        final PathCounts after = new PathCounts();
        final PathResult result = new PathResult(kind);
        final SimulatedTimeline warm = new SimulatedTimeline(threads, costs);
        final SimulatedTimeline timeline = new SimulatedTimeline(threads, costs);
        final long wallStart = System.nanoTime();
        path.readCounters(after);
        for (int r = 0; r < warmupRounds + rounds; r++)
        {
            final boolean measured = r >= warmupRounds;
            shuffle(schedule, order);
            for (final int v : schedule)
            {
                final long iova = iovas[v].next();
                before.copyFrom(after);
                final long t0 = System.nanoTime();
                path.unmap(v, iova);
                final long cpu = System.nanoTime() - t0;
                path.readCounters(after);
                final SimulatedTimeline t = measured ? timeline : warm;
                final double latency = t.step(v, kind.trapped(), cpu, after.since(PathCounts.EXITS, before),
                    after.since(PathCounts.SYSCALLS, before), after.since(PathCounts.HW_COMMANDS, before));
                if (measured)
                {
                    result.record(v, iova, latency, cpu, after, before);
                }
            }
            progress.advance(1);
        }
        result.waits(timeline.lockWaitNs(), timeline.engineWaitNs());
        result.wallNs(System.nanoTime() - wallStart);
        return result;
    }

    /**
     * @return rounds per run, warm-up included (the unit of {@link Progress#advance}).
     */
    public int totalRounds()
    {
        return warmupRounds + rounds;
    }

    /** Fisher-Yates over 0..n-1 from the seeded random: the round's order. */
    private static void shuffle(final int[] schedule, final SplittableRandom random)
    {
        for (int i = 0; i < schedule.length; i++)
        {
            schedule[i] = i;
        }
        for (int i = schedule.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = schedule[i];
            schedule[i] = schedule[j];
            schedule[j] = t;
        }
    }
}
