package dev.cmdq.bench.scenario;

/**
 * Builds a fresh system for one path and row, so that no state of one measurement leaks into the next.
 */
public interface PathFactory
{
    /**
     * @param kind     which path.
     * @param workload the row (threads = vCPUs, RIL, ATS).
     * @param costs    the modelled costs (exit and syscall for the VMM's meter, hardware time per command
     *                 for real mode's engine).
     * @param mode     timing mode: inline engines for simulated time, threaded for real.
     * @return the wired path; the caller closes it.
     */
    UnmapPath open(PathKind kind, Workload workload, CostProfile costs, TimingMode mode);

    /**
     * @param mode a timing mode.
     * @return threads that spin in real mode besides the guest threads (engines, host writers).
     */
    int extraBusyActors(TimingMode mode);
}
