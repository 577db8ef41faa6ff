package dev.cmdq.bench.scenario;

import org.HdrHistogram.Histogram;

/**
 * What one path measured for one row: the latency of every unmap (HdrHistogram, nanoseconds), the
 * measured CPU time per unmap (simulated mode; wall time in real mode), the counters summed over the
 * measured unmaps, and a digest of the order of steps (vCPU, IOVA, counts) for determinism checks.
 */
public final class PathResult
{
    /** Largest value a histogram holds: 10 s in nanoseconds. */
    static final long HIGHEST_NS = 10_000_000_000L;

    private final PathKind kind;
    private final Histogram latency = new Histogram(HIGHEST_NS, 3);
    private final Histogram cpu = new Histogram(HIGHEST_NS, 3);
    private final long[] totals = new long[PathCounts.SIZE];
    private long unmaps;
    private long digest = 1125899906842597L;
    private double lockWaitNs;
    private double engineWaitNs;
    private long wallNs;
    private long backgroundSteps;
    private double virtualNs;

    /**
     * @param kind the path measured.
     */
    public PathResult(final PathKind kind)
    {
        this.kind = kind;
    }

    /**
     * Records one measured unmap.
     *
     * @param vcpu      the vCPU that ran it.
     * @param iova      its IOVA.
     * @param latencyNs its latency.
     * @param cpuNs     its measured CPU (or wall) time.
     * @param after     the path's counters after it.
     * @param before    the path's counters before it.
     */
    public void record(
        final int vcpu, final long iova, final double latencyNs, final double cpuNs, final PathCounts after, final PathCounts before)
    {
        latency.recordValue(clamp(latencyNs));
        cpu.recordValue(clamp(cpuNs));
        long h = digest * 31 + vcpu;
        h = h * 31 + iova;
        for (int c = 0; c < PathCounts.SIZE; c++)
        {
            final long d = after.since(c, before);
            totals[c] += d;
            h = h * 31 + d;
        }
        digest = h;
        unmaps++;
    }

    /**
     * Records {@code count} unmaps of a real-mode thread whose latencies are in {@code histogram}.
     *
     * @param histogram latencies in nanoseconds (wall time).
     */
    void addReal(final Histogram histogram)
    {
        latency.add(histogram);
        cpu.add(histogram);
        unmaps += histogram.getTotalCount();
    }

    /**
     * Sets the counters summed over a real-mode measurement.
     *
     * @param after  counters at its end.
     * @param before counters at its start.
     */
    void totals(final PathCounts after, final PathCounts before)
    {
        for (int c = 0; c < PathCounts.SIZE; c++)
        {
            totals[c] = after.since(c, before);
        }
    }

    void waits(final double lockWaitNs, final double engineWaitNs)
    {
        this.lockWaitNs = lockWaitNs;
        this.engineWaitNs = engineWaitNs;
    }

    void wallNs(final long wallNs)
    {
        this.wallNs = wallNs;
    }

    void background(final long steps, final double virtualNs)
    {
        this.backgroundSteps = steps;
        this.virtualNs = virtualNs;
    }

    /**
     * @return background steps that ran during the measured rounds (simulated mode with host load).
     */
    public long backgroundSteps()
    {
        return backgroundSteps;
    }

    /**
     * @return background steps per millisecond of the measured rounds' virtual time: the rate achieved,
     *         which the background VM's own step time can hold below the rate asked for.
     */
    public double backgroundPerMs()
    {
        return virtualNs <= 0 ? 0 : backgroundSteps / (virtualNs / 1_000_000.0);
    }

    /**
     * @return the path.
     */
    public PathKind kind()
    {
        return kind;
    }

    /**
     * @return unmaps measured.
     */
    public long unmaps()
    {
        return unmaps;
    }

    /**
     * @return median latency in microseconds.
     */
    public double medianUs()
    {
        return latency.getValueAtPercentile(50) / 1000.0;
    }

    /**
     * @return 99th-percentile latency in microseconds.
     */
    public double p99Us()
    {
        return latency.getValueAtPercentile(99) / 1000.0;
    }

    /**
     * @return median measured CPU time per unmap in nanoseconds (real mode: wall time).
     */
    public double cpuMedianNs()
    {
        return cpu.getValueAtPercentile(50);
    }

    /**
     * @param counter a {@link PathCounts} constant.
     * @return its mean per measured unmap.
     */
    public double perUnmap(final int counter)
    {
        return unmaps == 0 ? Double.NaN : (double)totals[counter] / unmaps;
    }

    /**
     * @return the digest of the steps' order, IOVAs and counts (simulated mode).
     */
    public long digest()
    {
        return digest;
    }

    /**
     * @return mean nanoseconds an unmap waited for the vSMMU lock (simulated mode).
     */
    public double lockWaitPerUnmapNs()
    {
        return unmaps == 0 ? 0 : lockWaitNs / unmaps;
    }

    /**
     * @return mean nanoseconds an unmap waited for the SMMU engine (simulated mode).
     */
    public double engineWaitPerUnmapNs()
    {
        return unmaps == 0 ? 0 : engineWaitNs / unmaps;
    }

    /**
     * @return wall time the measurement took, in nanoseconds.
     */
    public long wallNs()
    {
        return wallNs;
    }

    private static long clamp(final double ns)
    {
        final long v = Math.round(ns);
        return v < 1 ? 1 : Math.min(v, HIGHEST_NS);
    }
}
