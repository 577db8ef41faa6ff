package dev.cmdq.bench.scenario;

import java.util.List;

/**
 * One wired system on one path, seen by a runner: run one unmap on vCPU v, read the counters. The
 * runner never sees registers, rings or the host; a fake implementation lets the runner, the timeline
 * and the reports be tested without the system.
 *
 * <p>{@link #unmap} may be called concurrently for different vCPUs (real mode); one vCPU is run by one
 * thread at a time. {@link #unmap} allocates nothing once warm.
 */
public interface UnmapPath extends AutoCloseable
{
    /**
     * Runs one DMA unmap of the workload's buffer at {@code iova} on vCPU {@code vcpu} and waits for its
     * invalidation to complete.
     *
     * @param vcpu the guest CPU number, {@code 0 <= vcpu < threads}.
     * @param iova the buffer's IOVA, aligned to the buffer's size.
     * @throws IllegalStateException naming the vCPU and status when the unmap failed (a failed
     *                               invalidation is a broken run, not a data point).
     */
    void unmap(int vcpu, long iova);

    /**
     * Runs one unit of background traffic on the physical SMMU's main CMDQ — a 4 KiB unmap by a second,
     * trapped (per-command) VM, which the host turns into one TLBI and one CMD_SYNC there — and waits
     * for it. Its exits, syscalls and guest commands are not in {@link #readCounters}; its hardware
     * commands and host sync are (they share the SMMU), so a caller reads those counters around its own
     * unmaps only.
     *
     * @param seq   the background unmap's sequence number (picks its IOVA).
     * @param counts where to write what this one step took: exits, syscalls, host syncs, hardware commands.
     * @throws UnsupportedOperationException when the path was opened without background traffic.
     * @throws IllegalStateException         when the background unmap failed.
     */
    void background(long seq, PathCounts counts);

    /**
     * Reads the path's cumulative counters (all vCPUs together).
     *
     * @param into where to write them.
     */
    void readCounters(PathCounts into);

    /**
     * @return lines describing what this path assumes (hardware policy, topology, host strategy), for
     *         the report.
     */
    List<String> describe();

    /**
     * Releases the wired system.
     */
    @Override
    void close();
}
