package dev.cmdq.vcmdq.vmm;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.Objects;

/**
 * Agrona counters of one vSMMU's emulated CMDQV: HW queues the VMM allocated and freed for the guest,
 * the host's refusals, the error reports it received from the vEVENTQ, the events it lost, and the
 * interrupts it raised or held back because VI_INT_MASK masked them. Written under the vSMMU's lock
 * with release stores; readable by any thread at any time.
 *
 * <p>Guest accesses to the mapped VINTF page 0 never reach the VMM (a real VMM cannot see them either);
 * that they are not exits shows as the vSMMU's trap counter standing still while the guest works. For
 * reports, a guest driver may be given {@link VintfPage0#countedRegisters} instead, whose accesses
 * {@link #mappedAccesses()} counts.
 */
public final class CmdqvCounters
{
    private final AtomicCounter hwQueueAllocs;
    private final AtomicCounter hwQueueFrees;
    private final AtomicCounter hostRefusals;
    private final AtomicCounter errorReports;
    private final AtomicCounter lostEvents;
    private final AtomicCounter overflows;
    private final AtomicCounter interrupts;
    private final AtomicCounter maskedInterrupts;
    private final AtomicCounter mappedAccesses;

    /**
     * @param counters where they live.
     * @param name     the vSMMU's name in labels, e.g. {@code "vsmmu0"}.
     */
    public CmdqvCounters(final CountersManager counters, final String name)
    {
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(name, "name");
        hwQueueAllocs = counters.newCounter(name + " cmdqv hw queue allocs", QueueCounters.TYPE_ID);
        hwQueueFrees = counters.newCounter(name + " cmdqv hw queue frees", QueueCounters.TYPE_ID);
        hostRefusals = counters.newCounter(name + " cmdqv host refusals", QueueCounters.TYPE_ID);
        errorReports = counters.newCounter(name + " cmdqv error reports", QueueCounters.TYPE_ID);
        lostEvents = counters.newCounter(name + " cmdqv lost events", QueueCounters.TYPE_ID);
        overflows = counters.newCounter(name + " cmdqv veventq overflows", QueueCounters.TYPE_ID);
        interrupts = counters.newCounter(name + " cmdqv interrupts", QueueCounters.TYPE_ID);
        maskedInterrupts = counters.newCounter(name + " cmdqv masked interrupts", QueueCounters.TYPE_ID);
        mappedAccesses = counters.newCounter(name + " cmdqv mapped accesses", QueueCounters.TYPE_ID);
    }

    /**
     * @return successful IOMMU_HW_QUEUE_ALLOC calls.
     */
    public AtomicCounter hwQueueAllocs()
    {
        return hwQueueAllocs;
    }

    /**
     * @return HW queues destroyed.
     */
    public AtomicCounter hwQueueFrees()
    {
        return hwQueueFrees;
    }

    /**
     * @return allocations or destroys the host refused (an allocation refusal is the guest's CMDQ_INIT_ERR).
     */
    public AtomicCounter hostRefusals()
    {
        return hostRefusals;
    }

    /**
     * @return error maps copied into the emulated registers (from events, or rebuilt after an overflow).
     */
    public AtomicCounter errorReports()
    {
        return errorReports;
    }

    /**
     * @return events known to be lost: the gaps in the vEVENTQ's sequence numbers.
     */
    public AtomicCounter lostEvents()
    {
        return lostEvents;
    }

    /**
     * @return LOST_EVENTS markers read (the vEVENTQ overflowed).
     */
    public AtomicCounter overflows()
    {
        return overflows;
    }

    /**
     * @return interrupts pulsed into the guest.
     */
    public AtomicCounter interrupts()
    {
        return interrupts;
    }

    /**
     * @return error reports whose interrupt VI_INT_MASK held back.
     */
    public AtomicCounter maskedInterrupts()
    {
        return maskedInterrupts;
    }

    /**
     * @return guest register accesses through {@link VintfPage0#countedRegisters} (none is an exit).
     */
    public AtomicCounter mappedAccesses()
    {
        return mappedAccesses;
    }
}
