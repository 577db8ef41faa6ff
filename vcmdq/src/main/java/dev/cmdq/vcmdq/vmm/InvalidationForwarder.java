package dev.cmdq.vcmdq.vmm;

import dev.cmdq.smmu.CommandWords;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The trap handler's way to the host: gathers raw guest commands, as 16-byte moves, into a preallocated
 * off-heap array of {@code iommu_viommu_arm_smmuv3_invalidate} entries and hands them to
 * {@link IommufdBackend#invalidate} (IOMMU_HWPT_INVALIDATE, vcmdq-viommu.md §3.7) — the raw words; the
 * VMID and StreamID rewriting is the host's.
 *
 * <pre>
 *   batch : | entry 0 (16 B) | entry 1 | ... | entry capacity-1 |     one target: a vIOMMU index or ALL
 *   cons  : | guest CONS of entry 0 | ...                               (where to stop on a failure)
 * </pre>
 *
 * <p><b>When a call is made.</b> {@link ForwardingPolicy#PER_COMMAND}: at every {@link #append} (one
 * call, so one host CMD_SYNC, per command). {@link ForwardingPolicy#BATCHED}: at {@link #flush} (the
 * guest's CMD_SYNC, a command the handler acts on itself, the end of the trap), when the target changes
 * (order across targets is kept by flushing, not by reordering) and when the array is full. A batch for
 * ALL (an ASID/VMID-wide command on a fanned-out vSMMU) is one call per vIOMMU: each one beyond the first
 * is counted as {@link VsmmuCounters#broadcastExtraCalls()}.
 *
 * <p><b>Failure.</b> The host's handled count says which entry failed: everything before it executed.
 * A broadcast batch that fails at entry k on one vIOMMU is sent to the remaining vIOMMUs only up to k, so
 * every entry before k executed everywhere; entries after k may have executed on earlier vIOMMUs, which
 * is harmless (invalidation is idempotent) and re-done when the guest resumes.
 *
 * <p>Every call charges one {@link CostKind#SYSCALL}. Used under the vSMMU's lock only; allocates nothing.
 */
final class InvalidationForwarder
{
    /** {@link #append} / {@link #flush} result: everything executed. */
    static final int NO_FAILURE = -1;
    /** Target of a batch for every vIOMMU. */
    static final int ALL = -2;
    private static final int NO_TARGET = -3;
    /** Linux's ETIMEDOUT: what a real kernel returns when the host CMD_SYNC times out. */
    private static final int ETIMEDOUT = 110;

    private final IommufdBackend backend;
    private final VsmmuTopology topology;
    private final boolean batched;
    private final int capacity;
    private final CostMeter meter;
    private final VsmmuCounters counters;
    private final QueueCounters queueCounters;
    private final UnsafeBuffer entries;
    private final int[] entryCons;
    private final UnsafeBuffer headerBytes = new UnsafeBuffer(BufferUtil.allocateDirectAligned(IommuHwptInvalidate.SIZE, 64));
    private final IommuHwptInvalidate header = new IommuHwptInvalidate();
    private int pending;
    private int target = NO_TARGET;
    private int lastErrno;

    InvalidationForwarder(
        final IommufdBackend backend,
        final VsmmuTopology topology,
        final ForwardingPolicy policy,
        final int capacity,
        final CostMeter meter,
        final VsmmuCounters counters,
        final QueueCounters queueCounters)
    {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.batched = Objects.requireNonNull(policy, "policy") == ForwardingPolicy.BATCHED;
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " is below 1");
        }
        this.capacity = batched ? capacity : 1;
        this.meter = Objects.requireNonNull(meter, "meter");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.queueCounters = Objects.requireNonNull(queueCounters, "queueCounters");
        this.entries = new UnsafeBuffer(BufferUtil.allocateDirectAligned(this.capacity * CommandWords.COMMAND_BYTES, 64));
        this.entryCons = new int[this.capacity];
        header.wrap(headerBytes, 0);
    }

    /**
     * Adds one raw guest command for {@code to}; may call the host (per-command policy, target change,
     * full array).
     *
     * @param source guest memory.
     * @param offset byte offset of the command in it.
     * @param cons   the command's guest CONS value (index and wrap).
     * @param route  a vIOMMU index of the topology, or {@link #ALL}.
     * @return {@link #NO_FAILURE}, or the guest CONS of the entry a call made here failed at.
     */
    int append(final DirectBuffer source, final int offset, final int cons, final int route)
    {
        // With one vIOMMU, "all" is that one: a TLBI and an ATC_INV for it share a batch.
        final int to = route == ALL && topology.viommuCount() == 1 ? 0 : route;
        if (pending != 0 && (to != target || pending == capacity))
        {
            final int failed = flush();
            if (failed != NO_FAILURE)
            {
                return failed;
            }
        }
        target = to;
        CommandWords.put(entries, pending * CommandWords.COMMAND_BYTES,
            CommandWords.dword0(source, offset), CommandWords.dword1(source, offset));
        entryCons[pending++] = cons;
        return batched ? NO_FAILURE : flush();
    }

    /**
     * Sends what is gathered.
     *
     * @return {@link #NO_FAILURE}, or the guest CONS of the entry the host stopped at.
     */
    int flush()
    {
        final int count = pending;
        if (count == 0)
        {
            return NO_FAILURE;
        }
        pending = 0;
        if (target != ALL)
        {
            final int handled = call(topology.viommuId(target), count);
            return handled == count ? NO_FAILURE : entryCons[handled];
        }
        int limit = count;
        int failed = NO_FAILURE;
        final int viommus = topology.viommuCount();
        for (int i = 0; i < viommus && limit > 0; i++)
        {
            if (i > 0)
            {
                counters.broadcastExtraCalls().incrementRelease();
            }
            final int handled = call(topology.viommuId(i), limit);
            if (handled != limit)
            {
                limit = handled;
                failed = entryCons[handled];
            }
        }
        return failed;
    }

    /**
     * @return the errno (positive) of the last failed call, 0 if none failed yet.
     */
    int lastErrno()
    {
        return lastErrno;
    }

    /**
     * @return commands gathered and not yet sent.
     */
    int pending()
    {
        return pending;
    }

    /**
     * @return entries gathered before a call is forced (1 under the per-command policy).
     */
    int capacity()
    {
        return capacity;
    }

    private int call(final int viommuId, final int count)
    {
        header.sizeField(IommuHwptInvalidate.SIZE)
            .hwptId(viommuId)
            .dataUptr(entries.addressOffset())
            .dataType(Iommufd.INVALIDATE_DATA_ARM_SMMUV3)
            .entryLen(Iommufd.ENTRY_LEN)
            .entryNum(count)
            .reserved(0);
        meter.charge(CostKind.SYSCALL);
        counters.invalidateCalls().incrementRelease();
        final int result = backend.invalidate(header, entries, 0);
        if (result == 0)
        {
            return count;
        }
        lastErrno = -result;
        if (lastErrno == ETIMEDOUT)
        {
            queueCounters.timeouts().incrementRelease();
            counters.totals().timeouts().incrementRelease();
        }
        // A backend that reports failure yet claims every entry handled: blame the last one.
        final int handled = header.entryNum();
        return handled >= 0 && handled < count ? handled : count - 1;
    }
}
