package dev.cmdq.bench.fuzz.system;

import java.nio.ByteOrder;

import dev.cmdq.bench.fuzz.FuzzOutcome;
import dev.cmdq.bench.fuzz.FuzzSession;
import dev.cmdq.queue.ConsRegister;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.vcmdq.vmm.SmmuPage0;
import dev.cmdq.vcmdq.host.MainCmdqGerrorHandler;
import dev.cmdq.vcmdq.vmm.Vsmmu;
import dev.cmdq.vcmdq.vmm.VsmmuCounters;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The guest's trapped CMDQ, fed as a guest driver feeds it: the entry is stored in guest RAM, then
 * CMDQ_PROD is written through {@link Vsmmu#mmioWrite}, which runs the VMM's trap handler before it
 * returns (forwarded commands reach the host's main CMDQ, whose waits drive the host SMMU inline).
 *
 * <p>The trap action is observed from outside the handler, never from its table: the vSMMU's counters
 * (IOMMU_HWPT_INVALIDATE calls, STE re-installs, completed syncs) and the host SMMU's caches. An entry
 * counts as executed when CONS passed it and the host saw exactly what the action implies — at least one
 * non-sync command for FORWARD and REINSTALL_STE, none for COMPLETE_SYNC and IGNORE.
 *
 * <pre>
 *   consumed, invalidate calls +n   -> FORWARD, or FORWARD_SKIPPED when the host's GERROR handler
 *                                      skipped a refused entry meanwhile
 *   consumed, STE re-installs +n    -> REINSTALL_STE
 *   consumed, syncs +1              -> COMPLETE_SYNC
 *   consumed, nothing counted       -> IGNORE
 *   GERROR.CMDQ_ERR active          -> CONS.ERR (CERROR_ILL / CERROR_ABT)
 * </pre>
 */
final class TrappedQueueFeed
{
    private final Vsmmu vsmmu;
    private final VsmmuCounters counters;
    private final AtomicBuffer ram;
    private final int ringOffset;
    private final int log2Size;
    private final int wrapIndexMask;
    private final CountingExecution host;
    private final MainCmdqGerrorHandler hostGerror;
    private int prod;
    private long executed;

    /**
     * Enables the guest CMDQ as Linux's probe does: CMDQ_BASE, PROD = CONS = 0, CR0.CMDQEN.
     *
     * @param vsmmu    the vSMMU.
     * @param memory   the VM's RAM.
     * @param ringGpa  guest-physical address of the ring (in {@code memory}, aligned to its size).
     * @param log2Size log2 of its entries.
     * @param host     the host SMMU's counting execution.
     * @param hostGerror  the host main CMDQ's GERROR handler (its count of repairs tells a skipped forward).
     */
    TrappedQueueFeed(
        final Vsmmu vsmmu,
        final GuestMemory memory,
        final long ringGpa,
        final int log2Size,
        final CountingExecution host,
        final MainCmdqGerrorHandler hostGerror)
    {
        this.hostGerror = hostGerror;
        this.vsmmu = vsmmu;
        this.counters = vsmmu.counters();
        this.ram = memory.buffer();
        this.ringOffset = memory.offsetOf(ringGpa);
        this.log2Size = log2Size;
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        this.host = host;
        vsmmu.mmioWrite(SmmuPage0.CMDQ_BASE, SmmuPage0.BASE_RA | ringGpa | log2Size, 8);
        vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, 0, 4);
        vsmmu.mmioWrite(SmmuPage0.CMDQ_CONS, 0, 4);
        vsmmu.mmioWrite(SmmuPage0.CR0, SmmuPage0.CR0_CMDQEN, 4);
    }

    /**
     * @param dword0 the command's dw0.
     * @param dword1 its dw1.
     * @return the observed {@link FuzzOutcome}.
     */
    int submit(final long dword0, final long dword1)
    {
        final int at = slotOffset(prod);
        ram.putLong(at, dword0, ByteOrder.LITTLE_ENDIAN);
        ram.putLong(at + 8, dword1, ByteOrder.LITTLE_ENDIAN);
        final int entry = prod;
        prod = (prod + 1) & wrapIndexMask;
        final long calls = counters.invalidateCalls().get();
        final long reinstalls = counters.steReinstalls().get();
        final long syncs = vsmmu.cmdqCounters().syncs().get();
        final long hostCommands = host.acceptedNonSync();
        final long repairs = hostGerror.repaired();
        vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, prod, 4);
        final int cons = (int)vsmmu.mmioRead(SmmuPage0.CMDQ_CONS, 4);
        if ((cons & wrapIndexMask) != prod)
        {
            if (errorActive())
            {
                return ConsRegister.err(cons);
            }
            throw new IllegalStateException("trapped CMDQ: entry 0x" + Integer.toHexString(entry)
                + " neither consumed nor halted on (CONS=0x" + Integer.toHexString(cons) + ")");
        }
        final boolean hostActed = host.acceptedNonSync() != hostCommands;
        final int outcome;
        if (counters.invalidateCalls().get() != calls)
        {
            outcome = hostGerror.repaired() != repairs ? FuzzOutcome.FORWARD_SKIPPED : FuzzOutcome.FORWARD;
        }
        else if (counters.steReinstalls().get() != reinstalls)
        {
            outcome = FuzzOutcome.REINSTALL_STE;
        }
        else if (vsmmu.cmdqCounters().syncs().get() != syncs)
        {
            outcome = FuzzOutcome.COMPLETE_SYNC;
        }
        else
        {
            outcome = FuzzOutcome.IGNORE;
        }
        final boolean needsHost = outcome == FuzzOutcome.FORWARD || outcome == FuzzOutcome.REINSTALL_STE;
        // a skipped forward executed nothing: if the host did run something, count it so the session sees it
        if (outcome == FuzzOutcome.FORWARD_SKIPPED ? hostActed : hostActed == needsHost)
        {
            executed++;
        }
        return outcome;
    }

    /**
     * Overwrites the halted entry with a CMD_SYNC and writes GERRORN := GERROR, which re-runs the trap
     * handler from CONS. Anything the host executed during the repair counts towards {@link #executed()}
     * (the sync is handled locally), so a repair that re-forwarded an earlier entry shows up.
     *
     * @return true when the sync was consumed and the error is no longer active.
     */
    boolean repairAndAcknowledge()
    {
        final int cons = (int)vsmmu.mmioRead(SmmuPage0.CMDQ_CONS, 4) & wrapIndexMask;
        final int at = slotOffset(cons);
        ram.putLong(at, FuzzSession.PROBE_DWORD0, ByteOrder.LITTLE_ENDIAN);
        ram.putLong(at + 8, FuzzSession.PROBE_DWORD1, ByteOrder.LITTLE_ENDIAN);
        final long hostCommands = host.acceptedNonSync();
        vsmmu.mmioWrite(SmmuPage0.GERRORN, vsmmu.mmioRead(SmmuPage0.GERROR, 4), 4);
        executed += host.acceptedNonSync() - hostCommands;
        final int after = (int)vsmmu.mmioRead(SmmuPage0.CMDQ_CONS, 4) & wrapIndexMask;
        return after == prod && !errorActive();
    }

    /**
     * @return entries consumed with the host effect their action implies.
     */
    long executed()
    {
        return executed;
    }

    private boolean errorActive()
    {
        final int gerror = (int)vsmmu.mmioRead(SmmuPage0.GERROR, 4);
        final int gerrorn = (int)vsmmu.mmioRead(SmmuPage0.GERRORN, 4);
        return (GlobalError.active(gerror, gerrorn) & GlobalError.CMDQ_ERR) != 0;
    }

    private int slotOffset(final int position)
    {
        return ringOffset + ((position & QueueIndex.indexMask(log2Size)) << 4);
    }
}
