package dev.cmdq.bench.scenario;

/**
 * How time is taken (package doc): measured wall time of real threads, or per-actor virtual clocks
 * advanced by measured CPU cost, modelled costs and waits.
 */
public enum TimingMode
{
    /** Threads and busy-waited costs; latency is wall time. Needs a core per busy actor. */
    REAL,
    /** Inline system, virtual clocks; deterministic order and counts for a seed. */
    SIMULATED;

    /**
     * The default mode for this machine.
     *
     * @param cores      available processors.
     * @param busyActors threads that spin in real mode (guest threads, engines, host writers).
     * @return {@link #REAL} when every busy actor has a core, else {@link #SIMULATED}.
     */
    public static TimingMode defaultFor(final int cores, final int busyActors)
    {
        return cores >= busyActors ? REAL : SIMULATED;
    }
}
