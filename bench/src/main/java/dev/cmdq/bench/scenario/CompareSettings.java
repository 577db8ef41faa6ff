package dev.cmdq.bench.scenario;

import java.util.List;

/**
 * Every parameter of one {@code cmdq compare} run: the rows, the paths, the timing mode and its sizes,
 * the system options and the modelled costs. All of it is written to {@code compare.json}.
 *
 * @param granules          buffer sizes in bytes, the rows' first key.
 * @param threads           guest thread counts, the rows' second key.
 * @param paths             the paths measured per row.
 * @param mode              timing mode.
 * @param rangeInvalidation the SMMU advertises RIL.
 * @param ats               the device uses ATS.
 * @param hostStrategy      name of the host's {@code HostCmdqStrategy}.
 * @param warmupRounds      simulated mode: rounds before measuring.
 * @param rounds            simulated mode: measured rounds (one unmap per vCPU each).
 * @param warmupNs          real mode: warm-up time per path and row.
 * @param durationNs        real mode: measured time per path and row.
 * @param seed              seed of step order and IOVAs.
 * @param costs             the modelled costs.
 * @param hostLoad          simulated mode: background unmaps per millisecond of virtual time by a second, trapped VM, whose
 *                          commands share the main CMDQ and the SMMU engine; 0 = none.
 */
public record CompareSettings(
    List<Long> granules,
    List<Integer> threads,
    List<PathKind> paths,
    TimingMode mode,
    boolean rangeInvalidation,
    boolean ats,
    String hostStrategy,
    int warmupRounds,
    int rounds,
    long warmupNs,
    long durationNs,
    long seed,
    CostProfile costs,
    double hostLoad)
{
    /**
     * @throws IllegalArgumentException naming an empty list.
     */
    public CompareSettings
    {
        granules = List.copyOf(granules);
        threads = List.copyOf(threads);
        paths = List.copyOf(paths);
        if (!(hostLoad >= 0) || Double.isInfinite(hostLoad))
        {
            throw new IllegalArgumentException("hostLoad=" + hostLoad + " is negative");
        }
        if (granules.isEmpty() || threads.isEmpty() || paths.isEmpty())
        {
            throw new IllegalArgumentException("granules=" + granules + " threads=" + threads + " paths=" + paths +
                ": none may be empty");
        }
    }

    /**
     * Settings without background traffic.
     *
     * @param granules          buffer sizes in bytes.
     * @param threads           guest thread counts.
     * @param paths             the paths.
     * @param mode              timing mode.
     * @param rangeInvalidation RIL.
     * @param ats               ATS.
     * @param hostStrategy      the host strategy's name.
     * @param warmupRounds      simulated warm-up rounds.
     * @param rounds            simulated measured rounds.
     * @param warmupNs          real warm-up time.
     * @param durationNs        real measured time.
     * @param seed              the seed.
     * @param costs             the modelled costs.
     */
    public CompareSettings(
        final List<Long> granules, final List<Integer> threads, final List<PathKind> paths, final TimingMode mode,
        final boolean rangeInvalidation, final boolean ats, final String hostStrategy, final int warmupRounds, final int rounds,
        final long warmupNs, final long durationNs, final long seed, final CostProfile costs)
    {
        this(granules, threads, paths, mode, rangeInvalidation, ats, hostStrategy, warmupRounds, rounds, warmupNs, durationNs,
            seed, costs, 0);
    }

    /**
     * @param costs other costs.
     * @return these settings with {@code costs}.
     */
    public CompareSettings withCosts(final CostProfile costs)
    {
        return new CompareSettings(granules, threads, paths, mode, rangeInvalidation, ats, hostStrategy, warmupRounds,
            rounds, warmupNs, durationNs, seed, costs, hostLoad);
    }

    /**
     * @param granules other rows.
     * @param threads  other thread counts.
     * @param paths    other paths.
     * @return these settings with those rows and paths.
     */
    public CompareSettings withRows(final List<Long> granules, final List<Integer> threads, final List<PathKind> paths)
    {
        return new CompareSettings(granules, threads, paths, mode, rangeInvalidation, ats, hostStrategy, warmupRounds,
            rounds, warmupNs, durationNs, seed, costs, hostLoad);
    }

    /**
     * @param granule a buffer size.
     * @param t       a thread count.
     * @return the row's workload under these options.
     */
    public Workload workload(final long granule, final int t)
    {
        return new Workload(granule, t, rangeInvalidation, ats);
    }
}
