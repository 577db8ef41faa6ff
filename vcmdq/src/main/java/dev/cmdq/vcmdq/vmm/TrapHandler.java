package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.smmu.CfgiLayout;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * QEMU's consume loop ({@code smmuv3_cmdq_consume}, smmuv3-cmdq.md §5.2, accelerated path §5.3), run on
 * the trapping vCPU's thread under the vSMMU's lock after a write to CMDQ_PROD, CR0 or GERRORN.
 *
 * <pre>
 *  consume():
 *    CR0.CMDQEN clear                 -&gt; return
 *    while CONS != PROD:
 *      GERROR.CMDQ_ERR active         -&gt; stop (until the guest writes GERRORN)
 *      slot = BASE.ADDR + idx(CONS)*16; not wholly guest RAM -&gt; CERROR_ABT, stop
 *      action = CommandActionTable.of(dw0):
 *        SYNC                  flush; complete locally (no MSI: the guest polls CONS)
 *        FORWARD_BY_SID        ATC_INV without ATS: ignored; route vSID -&gt; vIOMMU; no route -&gt; flush, CERROR_ILL; else gather
 *        FORWARD_TO_ALL        gather for every vIOMMU
 *        REINSTALL_STE(_RANGE) flush; re-install each attached device's STE; failure -&gt; CERROR_ILL
 *        IGNORE                nothing
 *        ILLEGAL               flush; CERROR_ILL
 *      CONS := CONS + 1 (ERR kept)
 *    flush (end of the trap)
 *    a host failure at entry k  -&gt; CONS := k, CERROR_ILL     (every entry before k executed)
 *    on error: CONS.ERR := code, GERROR ^= CMDQ_ERR (if not active)
 * </pre>
 *
 * <p>The guest's CMD_SYNC is complete when CONS passes it: every command before it that went to the
 * host has been waited for inside its IOMMU_HWPT_INVALIDATE call (the host appends its own CMD_SYNC).
 * CS=IRQ would pulse the CMD_SYNC interrupt in QEMU; this model has no interrupt line and only counts the
 * sync. A slot outside guest RAM is QEMU's failed DMA read: CERROR_ABT, CONS on the slot, retried after
 * the acknowledge (so a guest that fixes CMDQ_BASE first makes progress).
 *
 * <p>Hot path: no allocation; a command leaves guest memory only as a 16-byte move into the forwarder's
 * array.
 */
final class TrapHandler
{
    private final GuestMemory memory;
    private final AtomicBuffer ram;
    private final EmulatedCmdq cmdq;
    private final InvalidationForwarder forwarder;
    private final SteInstaller steInstaller;
    private final VsmmuTopology topology;
    private final CostMeter meter;
    private final QueueCounters queueCounters;
    private final VsmmuCounters counters;
    private static final long ATC_INV = Opcode.ATC_INV.value();

    private final boolean ats;
    /** Guest CONS of the entry a host call stopped at, when {@link #step} returns a failure. */
    private int failedAt;

    TrapHandler(
        final GuestMemory memory,
        final boolean ats,
        final EmulatedCmdq cmdq,
        final InvalidationForwarder forwarder,
        final SteInstaller steInstaller,
        final VsmmuTopology topology,
        final CostMeter meter,
        final QueueCounters queueCounters,
        final VsmmuCounters counters)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.ram = memory.buffer();
        this.ats = ats;
        this.cmdq = Objects.requireNonNull(cmdq, "cmdq");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.steInstaller = Objects.requireNonNull(steInstaller, "steInstaller");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.queueCounters = Objects.requireNonNull(queueCounters, "queueCounters");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * Consumes the guest CMDQ from CONS up to PROD, or to the first error.
     */
    void consume()
    {
        if (!cmdq.enabled() || cmdq.cmdqErrorActive())
        {
            return;
        }
        final int log2Size = cmdq.log2Size();
        final int indexMask = (1 << log2Size) - 1;
        final int wrapIndexMask = (1 << (log2Size + 1)) - 1;
        final long base = cmdq.baseAddress();
        final int prod = cmdq.prod() & wrapIndexMask;
        final int start = cmdq.cons() & wrapIndexMask;
        int c = start;
        int error = CommandError.NONE;
        while (c != prod)
        {
            final long gpa = base + ((long)(c & indexMask) << 4);
            if (!memory.contains(gpa, CommandWords.COMMAND_BYTES))
            {
                error = CommandError.ABT;
                break;
            }
            error = step((int)(gpa - memory.base()), c);
            if (error != CommandError.NONE)
            {
                if (failedAt != InvalidationForwarder.NO_FAILURE)
                {
                    c = failedAt;
                }
                break;
            }
            c = (c + 1) & wrapIndexMask;
        }
        // End of the trap (or a stop): send what is gathered, all of it before the entry that stopped us.
        final int failed = forwarder.flush();
        if (failed != InvalidationForwarder.NO_FAILURE)
        {
            c = failed;
            error = CommandError.ILL;
        }
        final int consumed = (c - start) & wrapIndexMask;
        queueCounters.commands().getAndAddRelease(consumed);
        counters.totals().commands().getAndAddRelease(consumed);
        if (error == CommandError.NONE)
        {
            cmdq.advance(c, wrapIndexMask);
        }
        else
        {
            cmdq.fail(c, error, wrapIndexMask);
            queueCounters.errors().incrementRelease();
            counters.totals().errors().incrementRelease();
        }
    }

    /**
     * Acts on one entry.
     *
     * @return {@link CommandError#NONE} or the code to stop with; {@link #failedAt} is the entry to stop
     *         on when a host call failed ({@link InvalidationForwarder#NO_FAILURE}: this entry).
     */
    private int step(final int offset, final int cons)
    {
        failedAt = InvalidationForwarder.NO_FAILURE;
        final long dw0 = CommandWords.dword0(ram, offset);
        switch (CommandActionTable.of(dw0))
        {
            case SYNC:
                if (flushFailed())
                {
                    return CommandError.ILL;
                }
                queueCounters.syncs().incrementRelease();
                counters.totals().syncs().incrementRelease();
                return CommandError.NONE;

            case FORWARD_BY_SID:
            {
                if (!ats && (dw0 & CommandLayout.OPCODE_MASK) == ATC_INV)
                {
                    // QEMU forwards ATC_INV only when ATS is enabled; otherwise it is ignored.
                    return CommandError.NONE;
                }
                final int route = topology.route(dw0 >>> CommandLayout.SID_SHIFT);
                if (route == VsmmuTopology.NO_ROUTE)
                {
                    flushFailed();
                    return CommandError.ILL;
                }
                failedAt = forwarder.append(ram, offset, cons, route);
                return failedAt == InvalidationForwarder.NO_FAILURE ? CommandError.NONE : CommandError.ILL;
            }

            case FORWARD_TO_ALL:
                failedAt = forwarder.append(ram, offset, cons, InvalidationForwarder.ALL);
                return failedAt == InvalidationForwarder.NO_FAILURE ? CommandError.NONE : CommandError.ILL;

            case REINSTALL_STE:
            {
                if (flushFailed())
                {
                    return CommandError.ILL;
                }
                final long vsid = dw0 >>> CommandLayout.SID_SHIFT;
                final int owner = topology.owner(vsid);
                // No device with that vSID: QEMU only drops its cached config; nothing to re-install.
                return owner == VsmmuTopology.NO_ROUTE || reinstall(owner, vsid) ? CommandError.NONE : CommandError.ILL;
            }

            case REINSTALL_STE_RANGE:
                if (flushFailed())
                {
                    return CommandError.ILL;
                }
                return reinstallRange(dw0 >>> CommandLayout.SID_SHIFT,
                    (int)(CommandWords.dword1(ram, offset) & CfgiLayout.RANGE_MASK)) ? CommandError.NONE : CommandError.ILL;

            case IGNORE:
                return CommandError.NONE;

            case ILLEGAL:
            default:
                flushFailed();
                return CommandError.ILL;
        }
    }

    /**
     * Flushes gathered commands before acting on this entry itself.
     *
     * @return true when the flush failed ({@link #failedAt} then names the entry).
     */
    private boolean flushFailed()
    {
        failedAt = forwarder.flush();
        return failedAt != InvalidationForwarder.NO_FAILURE;
    }

    private boolean reinstallRange(final long sid, final int range)
    {
        // Range 31 is "all" (Linux's CFGI_ALL); otherwise the naturally aligned block of 2^(range+1) SIDs.
        final long mask = range >= CfgiLayout.RANGE_ALL ? 0xFFFF_FFFFL : (1L << (range + 1)) - 1;
        final long first = sid & ~mask;
        final long last = first | mask;
        final int devices = topology.deviceCount();
        for (int i = 0; i < devices; i++)
        {
            final long vsid = topology.deviceVsid(i);
            if (vsid >= first && vsid <= last && !reinstall(topology.deviceViommuIndex(i), vsid))
            {
                return false;
            }
        }
        return true;
    }

    private boolean reinstall(final int viommuIndex, final long vsid)
    {
        meter.charge(CostKind.SYSCALL);
        counters.steReinstalls().incrementRelease();
        return steInstaller.reinstall(topology.viommuId(viommuIndex), vsid);
    }
}
