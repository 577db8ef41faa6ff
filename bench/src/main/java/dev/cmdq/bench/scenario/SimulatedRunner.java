package dev.cmdq.bench.scenario;

import java.util.SplittableRandom;

/**
 * Simulated time (package doc): runs the inline system round by round, each vCPU one unmap per round
 * in a seeded order, measures each step's CPU time with {@link System#nanoTime()} and feeds it with the
 * step's counts to a {@link SimulatedTimeline}. Warm-up rounds run first on a timeline of their own
 * and are not recorded. Allocation-free per step.
 *
 * <p>With host load, background steps (another VM's unmaps on the main CMDQ, {@link UnmapPath#background})
 * fall due at a fixed rate of virtual time; each runs before the first vCPU step that is ready after it
 * is due. How many run between two vCPU steps depends on the virtual clocks, hence on the measured CPU
 * time; the measured steps' order, IOVAs and counts do not (the counters never include background).
 *
 * <p>A run can be taken in blocks ({@link #session}): a caller measuring several paths of one row
 * alternates their blocks, so that a burst of load from elsewhere on the machine lands on every path
 * alike instead of on whichever path happened to run at the time. Blocks do not change the result's
 * determinism: each session has its own seeded order and IOVAs.
 */
public final class SimulatedRunner
{
    private final int warmupRounds;
    private final int rounds;
    private final long seed;
    private final double hostLoad;

    /**
     * A runner without background traffic.
     *
     * @param warmupRounds rounds run before measuring (JIT warm-up), {@code >= 0}.
     * @param rounds       measured rounds, {@code >= 1}; each vCPU unmaps once per round.
     * @param seed         seed of the step order and the IOVAs.
     */
    public SimulatedRunner(final int warmupRounds, final int rounds, final long seed)
    {
        this(warmupRounds, rounds, seed, 0);
    }

    /**
     * @param warmupRounds rounds run before measuring (JIT warm-up), {@code >= 0}.
     * @param rounds       measured rounds, {@code >= 1}; each vCPU unmaps once per round.
     * @param seed         seed of the step order and the IOVAs.
     * @param hostLoad     background steps ({@link UnmapPath#background}) per millisecond of virtual time, {@code >= 0}.
     */
    public SimulatedRunner(final int warmupRounds, final int rounds, final long seed, final double hostLoad)
    {
        if (warmupRounds < 0 || rounds < 1 || !(hostLoad >= 0) || Double.isInfinite(hostLoad))
        {
            throw new IllegalArgumentException("warmupRounds=" + warmupRounds + " rounds=" + rounds + " hostLoad=" + hostLoad +
                ": need warmupRounds >= 0, rounds >= 1 and hostLoad >= 0");
        }
        this.warmupRounds = warmupRounds;
        this.rounds = rounds;
        this.seed = seed;
        this.hostLoad = hostLoad;
    }

    /**
     * Runs warm-up and every measured round in one go.
     *
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
        final Session session = session(path, kind, workload, costs, progress);
        session.warmUp();
        session.measure(rounds);
        return session.result();
    }

    /**
     * @param path     the wired path, inline.
     * @param kind     which path it is.
     * @param workload the row.
     * @param costs    the modelled costs.
     * @param progress told after each round.
     * @return a session to run in blocks: {@link Session#warmUp()}, then {@link Session#measure} until
     *         {@link #rounds()} rounds are measured.
     */
    public Session session(
        final UnmapPath path, final PathKind kind, final Workload workload, final CostProfile costs, final Progress progress)
    {
        return new Session(path, kind, workload, costs, progress);
    }

    /**
     * @return measured rounds per run.
     */
    public int rounds()
    {
        return rounds;
    }

    /**
     * @return rounds per run, warm-up included (the unit of {@link Progress#advance}).
     */
    public int totalRounds()
    {
        return warmupRounds + rounds;
    }

    /** One path's run, in blocks of rounds. */
    public final class Session
    {
        private final UnmapPath path;
        private final PathKind kind;
        private final Progress progress;
        private final SplittableRandom order = new SplittableRandom(seed);
        private final IovaSequence[] iovas;
        private final int[] schedule;
        private final PathCounts before = new PathCounts();
        private final PathCounts after = new PathCounts();
        private final PathCounts background = new PathCounts();
        private final PathResult result;
        private final SimulatedTimeline warm;
        private final SimulatedTimeline timeline;
        private long wallNs;
        private long backgroundSeq;

        private Session(
            final UnmapPath path, final PathKind kind, final Workload workload, final CostProfile costs, final Progress progress)
        {
            this.path = path;
            this.kind = kind;
            this.progress = progress;
            final int threads = workload.threads();
            iovas = new IovaSequence[threads];
            for (int v = 0; v < threads; v++)
            {
                iovas[v] = new IovaSequence(seed, v, workload.bufferBytes());
            }
            schedule = new int[threads];
            result = new PathResult(kind);
            warm = new SimulatedTimeline(threads, costs, hostLoad);
            timeline = new SimulatedTimeline(threads, costs, hostLoad);
            path.readCounters(after);
        }

        /**
         * Runs the warm-up rounds, unrecorded.
         */
        public void warmUp()
        {
            rounds(warmupRounds, false);
        }

        /**
         * Runs {@code n} measured rounds.
         *
         * @param n rounds.
         */
        public void measure(final int n)
        {
            rounds(n, true);
        }

        /**
         * @return the result so far, with the waits and wall time of the measured rounds.
         */
        public PathResult result()
        {
            result.waits(timeline.lockWaitNs(), timeline.engineWaitNs());
            result.wallNs(wallNs);
            result.background(timeline.backgroundSteps(), timeline.latestClock());
            return result;
        }

        private void rounds(final int n, final boolean measured)
        {
            final long wallStart = System.nanoTime();
            final SimulatedTimeline t = measured ? timeline : warm;
            for (int r = 0; r < n; r++)
            {
                shuffle(schedule, order);
                for (final int v : schedule)
                {
                    if (t.backgroundDue() <= t.readyAt(v))
                    {
                        runBackground(t, t.readyAt(v));
                    }
                    final long iova = iovas[v].next();
                    before.copyFrom(after);
                    final long t0 = System.nanoTime();
                    path.unmap(v, iova);
                    final long cpu = System.nanoTime() - t0;
                    path.readCounters(after);
                    final double latency = t.step(v, kind.trapped(), cpu, after.since(PathCounts.EXITS, before),
                        after.since(PathCounts.SYSCALLS, before), after.since(PathCounts.HW_COMMANDS, before));
                    if (measured)
                    {
                        result.record(v, iova, latency, cpu, after, before);
                    }
                }
                progress.advance(1);
            }
            if (measured)
            {
                wallNs += System.nanoTime() - wallStart;
            }
        }

        /** Runs every background step due by {@code until}, then re-reads the counters it shares. */
        private void runBackground(final SimulatedTimeline t, final double until)
        {
            while (t.backgroundDue() <= until)
            {
                final long t0 = System.nanoTime();
                path.background(backgroundSeq++, background);
                final long cpu = System.nanoTime() - t0;
                t.background(cpu, background.get(PathCounts.EXITS), background.get(PathCounts.SYSCALLS),
                    background.get(PathCounts.HW_COMMANDS));
            }
            // The background's commands and host syncs share the SMMU's counters: start afresh.
            path.readCounters(after);
        }

        /**
         * @return background steps run in the measured rounds.
         */
        public long backgroundSteps()
        {
            return timeline.backgroundSteps();
        }
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
