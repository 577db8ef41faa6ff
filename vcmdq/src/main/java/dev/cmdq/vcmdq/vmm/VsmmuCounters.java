package dev.cmdq.vcmdq.vmm;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Agrona counters of one vSMMU: the totals over its queues ({@link #totals()}: commands, syncs, traps,
 * errors, timeouts) and what the trapped path costs on the host side — IOMMU_HWPT_INVALIDATE calls, the
 * extra calls a fanned-out vSMMU makes by broadcasting ASID/VMID-wide commands, STE re-installs — and
 * the accesses to registers it does not implement (read as zero, writes ignored). Readable while running;
 * written under the vSMMU's lock except {@code traps} (see {@link QueueCounters}).
 */
public final class VsmmuCounters
{
    private final QueueCounters totals;
    private final AtomicCounter invalidateCalls;
    private final AtomicCounter broadcastExtraCalls;
    private final AtomicCounter steReinstalls;
    private final AtomicCounter ignoredAccesses;

    /**
     * @param counters where they live.
     * @param name     the vSMMU's name in labels, e.g. {@code "vsmmu0"}.
     */
    public VsmmuCounters(final CountersManager counters, final String name)
    {
        totals = new QueueCounters(counters, name);
        invalidateCalls = counters.newCounter(name + " invalidate calls", QueueCounters.TYPE_ID);
        broadcastExtraCalls = counters.newCounter(name + " broadcast extra calls", QueueCounters.TYPE_ID);
        steReinstalls = counters.newCounter(name + " ste reinstalls", QueueCounters.TYPE_ID);
        ignoredAccesses = counters.newCounter(name + " ignored accesses", QueueCounters.TYPE_ID);
    }

    /**
     * @return commands, syncs, traps, errors and timeouts summed over the vSMMU's queues.
     */
    public QueueCounters totals()
    {
        return totals;
    }

    /**
     * @return IOMMU_HWPT_INVALIDATE calls made for this vSMMU (each one syscall).
     */
    public AtomicCounter invalidateCalls()
    {
        return invalidateCalls;
    }

    /**
     * @return invalidate calls beyond the first for one ASID/VMID-wide batch (fan-out's broadcast cost).
     */
    public AtomicCounter broadcastExtraCalls()
    {
        return broadcastExtraCalls;
    }

    /**
     * @return STE re-installs (CFGI_STE / CFGI_STE_RANGE per attached device).
     */
    public AtomicCounter steReinstalls()
    {
        return steReinstalls;
    }

    /**
     * @return MMIO accesses that hit no register (read as zero, write ignored) or wrote a read-only one.
     */
    public AtomicCounter ignoredAccesses()
    {
        return ignoredAccesses;
    }
}
