package dev.cmdq.bench.stress;

import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.function.Function;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.hw.cache.AtcCache;
import dev.cmdq.vcmdq.hw.cache.SmmuCaches;
import dev.cmdq.vcmdq.hw.cache.TlbEntryKind;
import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.Platform;
import dev.cmdq.vcmdq.testbed.Vm;
import dev.cmdq.vcmdq.testbed.VmConfig;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One traffic producer: owns some {@link VmSlot}s and, step by step, plants cache entries for its VMs,
 * issues their invalidations on random vCPUs, injects bad commands, hot-plugs devices (a new device takes
 * the vSID of the one just unplugged; devices, and so pSIDs, move between VMs through the {@link DevicePool})
 * and tears VMs down and re-creates them — checking each effect against its slots' model, never against
 * the system's own bookkeeping:
 *
 * <pre>
 *   before an own invalidation : every entry the VM planted and did not invalidate is still cached
 *                                (another VM's traffic, hot-plug or teardown removed none: zero cross-VM effects)
 *   after its CMD_SYNC         : status OK within the wait bound; the entries it covers are gone (positive
 *                                control, and the sync completed after its command); inline: the SMMU
 *                                executed exactly the commands issued (none lost or duplicated)
 *   hot-unplug, teardown       : exactly once, any engines: the SMMU executed, for the released owner
 *                                (a device's pSID; the VM's VMID), exactly the commands the VM issued with
 *                                an OK result, counted at execution by the {@link ExecutionLedger}; and the
 *                                host's own TLBI_S12_VMALL of the VMID exactly once
 *   injected bad command       : the queue halts, the guest's repair + acknowledge resumes it, a sync completes
 *   teardown                   : no TLB entry of the VM's VMID survives (VMID-wide invalidation, §1.9 step 5);
 *                                a new VM never gets a VMID a live VM holds
 * </pre>
 * Commands are TLBI_NH_ASID (VMID 0: the hardware or host substitutes it) and ATC_INV of a whole device
 * (Size 52). Allocation-light, not allocation-free: VM and device life cycles allocate.
 */
final class StressWorker
{
    private static final long TLBI_NH_ASID = 0x11;
    private static final long ATC_INV = 0x40;
    private static final long ATC_SIZE_ALL = 52;
    /** An opcode no queue knows (smmuv3-cmdq.md §2.1): the injected fault. */
    private static final long BAD_OPCODE = 0x00;
    private static final int ASIDS = 4;
    private static final int VCPUS = 2;
    /** Bounded waits one issue with sync may consist of (see the constructor). */
    private static final int CALL_BOUNDS = 4;

    /** The host's TLBI_S12_VMALLs per VMID release (one S2 parent per VM and SMMU, VmidPolicy.S2_DOMAIN). */
    private static final long HOST_VMALLS_PER_TEARDOWN = 1;

    private final Platform platform;
    private final SmmuCaches[] caches;
    private final ExecutionLedger ledger;
    private final StressCounts counts;
    private final VmidRegistry registry;
    private final DevicePool devices;
    private final VmSlot[] slots;
    private final SplittableRandom random;
    private final boolean inline;
    private final long boundNs;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[16]);

    /**
     * Creates the initial VMs of its slots.
     *
     * @param platform the platform.
     * @param caches   each SMMU's caches (behind its gate, below the ledger's tap).
     * @param ledger   the execution-side books of the exactly-once check.
     * @param counts   shared counts.
     * @param registry shared VMID record.
     * @param devices  shared free host devices (pSIDs are reused once settled).
     * @param slots    the slots this worker owns.
     * @param seed     its seed.
     */
    StressWorker(
        final Platform platform,
        final SmmuCaches[] caches,
        final ExecutionLedger ledger,
        final StressCounts counts,
        final VmidRegistry registry,
        final DevicePool devices,
        final VmSlot[] slots,
        final long seed)
    {
        this.platform = platform;
        this.caches = caches;
        this.ledger = ledger;
        this.counts = counts;
        this.registry = registry;
        this.devices = devices;
        this.slots = slots.clone();
        this.random = new SplittableRandom(seed);
        this.inline = platform.engineMode() == EngineMode.INLINE;
        // One issue with sync is up to four bounded waits in a row — the guest's claim, inside the trap the
        // host's claim and its CMD_SYNC wait, the guest's sync wait — so the call's bound is four bounds.
        // (A 120 s threaded run on the shared 2-vCPU machine once saw a successful call take 2.07 s, more
        // than two bounds, with no wait timing out: descheduling, not a broken bound.)
        this.boundNs = CALL_BOUNDS * platform.waitPolicy().timeoutNs();
        for (final VmSlot slot : this.slots)
        {
            create(slot);
        }
    }

    /**
     * One random action on one random slot.
     */
    void step()
    {
        counts.add(StressCounts.STEPS, 1);
        final VmSlot slot = slots[random.nextInt(slots.length)];
        final int action = random.nextInt(100);
        try
        {
            act(slot, action);
        }
        catch (final RuntimeException ex)
        {
            // an exception out of the system is a violation, not the end of the run
            counts.check(false, "action " + action + " threw " + ex, slot);
        }
    }

    private void act(final VmSlot slot, final int action)
    {
        if (action < 55)
        {
            invalidateAsid(slot);
        }
        else if (action < 80)
        {
            invalidateAtc(slot);
        }
        else if (action < 90)
        {
            injectFault(slot);
        }
        else if (action < 97)
        {
            hotPlug(slot);
        }
        else
        {
            teardown(slot);
            create(slot);
        }
    }

    /**
     * Tears down every VM of this worker (end of run), with the teardown checks.
     */
    void finish()
    {
        for (final VmSlot slot : slots)
        {
            teardown(slot);
        }
    }

    private void create(final VmSlot slot)
    {
        slot.generation++;
        slot.name = "vm" + slot.index + "." + slot.generation;
        slot.vm = platform.createVm(VmConfig.of(slot.name, slot.path, VCPUS));
        slot.deviceCount = 0;
        slot.nextVsid = 0x10;
        slot.tlbiIssued = 0;
        slot.booksExact = true;
        slot.clearEntries();
        counts.add(StressCounts.VMS_CREATED, 1);
        attachNew(slot);
        attachNew(slot);
        slot.vmid = slot.vm.vmidOn(slot.smmu);
        final String holder = registry.claim(slot.smmu, slot.vmid, slot.name);
        counts.check(holder == null, "new VM got a VMID a live VM holds (" + holder + ")", slot);
    }

    private void attachNew(final VmSlot slot)
    {
        attachNew(slot, slot.nextVsid++);
    }

    /**
     * Takes a free device (the longest-free one, or a newly bound pSID) and hot-plugs it as {@code vsid}
     * (fresh, or one just detached).
     */
    private void attachNew(final VmSlot slot, final long vsid)
    {
        final HostDevice device = devices.take(slot.smmu);
        final long psid = device.streamId();
        try
        {
            slot.vm.attach(vsid, device);
        }
        catch (final RuntimeException e)
        {
            devices.give(device);
            throw e;
        }
        final int d = slot.deviceCount++;
        slot.vsids[d] = vsid;
        slot.psids[d] = psid;
        slot.devices[d] = device;
        slot.atcIssued[d] = 0;
    }

    private void invalidateAsid(final VmSlot slot)
    {
        final int asid = 1 + random.nextInt(ASIDS);
        plantTlb(slot, asid);
        if (random.nextBoolean())
        {
            plantTlb(slot, 1 + random.nextInt(ASIDS));
        }
        if (!ownEntriesSurvived(slot))
        {
            return;
        }
        if (!issue(slot, TLBI_NH_ASID | (long)asid << 48, 0))
        {
            return;
        }
        slot.tlbiIssued++;
        for (int i = slot.tlbCount - 1; i >= 0; i--)
        {
            final boolean cached = tlbCached(slot, slot.tlbAsid[i], slot.tlbVa[i]);
            if (slot.tlbAsid[i] == asid)
            {
                counts.check(!cached, "own TLBI_NH_ASID completed but its entry survived (asid " + asid + ")", slot);
                slot.removeTlb(i);
            }
            else
            {
                counts.check(cached, "TLBI_NH_ASID removed an entry of another ASID of the same VM", slot);
            }
        }
    }

    private void invalidateAtc(final VmSlot slot)
    {
        final int d = random.nextInt(slot.deviceCount);
        plantAtc(slot, slot.psids[d]);
        plantAtc(slot, slot.psids[random.nextInt(slot.deviceCount)]);
        invalidateAtc(slot, d);
    }

    /** The guest's ATC_INV of all of device {@code d}, with the checks. */
    private void invalidateAtc(final VmSlot slot, final int d)
    {
        if (!ownEntriesSurvived(slot))
        {
            return;
        }
        if (!issue(slot, ATC_INV | slot.vsids[d] << 32, ATC_SIZE_ALL))
        {
            return;
        }
        slot.atcIssued[d]++;
        for (int i = slot.atcCount - 1; i >= 0; i--)
        {
            final boolean cached = atcCached(slot, slot.atcPsid[i], slot.atcAddress[i]);
            if (slot.atcPsid[i] == slot.psids[d])
            {
                counts.check(!cached, "own ATC_INV completed but its device's entry survived", slot);
                slot.removeAtc(i);
            }
            else
            {
                counts.check(cached, "ATC_INV removed another device's entry", slot);
            }
        }
    }

    private void injectFault(final VmSlot slot)
    {
        final Vm vm = slot.vm;
        final int vcpu = random.nextInt(VCPUS);
        final int queue = slot.path.usesVcmdqs() ? vm.smmu(0).guest().vcpu(vcpu).queue() : Vm.EMULATED_CMDQ;
        command.putLong(0, BAD_OPCODE, ByteOrder.LITTLE_ENDIAN);
        command.putLong(8, 0, ByteOrder.LITTLE_ENDIAN);
        final int status = vm.issue(0, vcpu, command, 0, 1, false);
        counts.add(StressCounts.INJECTED_FAULTS, 1);
        if (!counts.check(status == IssueStatus.OK, "publishing the bad command failed: " + IssueStatus.name(status), slot))
        {
            return;
        }
        try
        {
            platform.await(() -> vm.hasCommandError(0, queue), slot.name + " queue " + queue + " halting on the bad command");
        }
        catch (final IllegalStateException timeout)
        {
            counts.check(false, "the bad command did not halt its queue within the bound", slot);
            return;
        }
        final int error = vm.recover(0, queue);
        counts.check(error == CommandError.ILL || error == CommandError.ILL_ACCESS,
            "halted with " + CommandError.name(error) + ", not ILL/ILL_ACCESS", slot);
        counts.check(!vm.hasCommandError(0, queue), "error still active after repair + acknowledge", slot);
        final long start = System.nanoTime();
        final int sync = vm.issue(0, vcpu, command, 0, 0, true);
        counts.check(sync == IssueStatus.OK, "sync after recovery: " + IssueStatus.name(sync), slot);
        counts.check(System.nanoTime() - start <= boundNs, "sync after recovery exceeded the wait bound", slot);
        counts.add(StressCounts.SYNCS, sync == IssueStatus.OK ? 1 : 0);
    }

    private void hotPlug(final VmSlot slot)
    {
        long freed = -1;
        HostDevice unplugged = null;
        if (slot.deviceCount > 1)
        {
            final int d = random.nextInt(slot.deviceCount);
            // as a guest disabling ATS before the unplug: invalidate the device's ATC, checked like any other
            invalidateAtc(slot, d);
            freed = slot.vsids[d];
            slot.vm.detach(freed);
            counts.add(StressCounts.HOT_UNPLUGS, 1);
            // the detach drained the device's queues and synced: every command naming its pSID has executed
            settleDevice(slot, d);
            unplugged = slot.devices[d];
            slot.removeDevice(d);
        }
        if (slot.deviceCount < VmSlot.MAX_DEVICES)
        {
            // The new device takes the vSID just freed (the VMM's detach released it), so later ATC_INVs of
            // that vSID must reach the new pSID only: an old pSID entry left in the book has to survive them.
            if (freed >= 0)
            {
                attachNew(slot, freed);
            }
            else
            {
                attachNew(slot);
            }
            counts.add(StressCounts.HOT_PLUGS, 1);
        }
        if (unplugged != null)
        {
            // freed only after the new device was taken, so the vSID just freed moves to another pSID
            devices.give(unplugged);
        }
        ownEntriesSurvived(slot);
    }

    private void teardown(final VmSlot slot)
    {
        if (slot.vm == null)
        {
            return;
        }
        // the guest's shutdown invalidates its devices' ATCs (the devices, and their pSIDs, go to other VMs
        // next); the VMID-wide TLB invalidation is the host's, checked below
        for (int d = 0; d < slot.deviceCount; d++)
        {
            invalidateAtc(slot, d);
        }
        ownEntriesSurvived(slot);
        counts.add(StressCounts.TRAPS, slot.vm.counters().exits());
        final int vmid = slot.vmid;
        final int left;
        // The platform's monitor is what its set-up and tear-down serialise on (Vm.close, Vm.attach take it):
        // holding it across close, the check and the release keeps any other VM from being given this VMID
        // before the check saw it free of entries — a reuse after that is legitimate.
        synchronized (platform)
        {
            slot.vm.close();
            left = query(slot.smmu, c -> c.tlb().countOfVmid(vmid));
            // The close ran the host's TLBI_S12_VMALL + sync of the VMID: every command of this VM executed.
            // Settled before the VMID is released, so the next holder's commands start on zeroed books.
            settleVm(slot);
            registry.release(slot.smmu, vmid, slot.name);
        }
        for (int d = 0; d < slot.deviceCount; d++)
        {
            devices.give(slot.devices[d]);
        }
        counts.add(StressCounts.VMS_DESTROYED, 1);
        counts.check(left == 0, left + " TLB entries of the torn-down VM's VMID survived", slot);
        slot.vm = null;
        slot.clearEntries();
    }

    /** @return true when every entry the VM planted and has not invalidated is still cached. */
    private boolean ownEntriesSurvived(final VmSlot slot)
    {
        boolean all = true;
        for (int i = 0; i < slot.tlbCount; i++)
        {
            all &= counts.check(tlbCached(slot, slot.tlbAsid[i], slot.tlbVa[i]),
                "a TLB entry vanished without the VM's own invalidation (cross-VM effect)", slot);
        }
        for (int i = 0; i < slot.atcCount; i++)
        {
            all &= counts.check(atcCached(slot, slot.atcPsid[i], slot.atcAddress[i]),
                "an ATC entry vanished without the VM's own invalidation (cross-VM effect)", slot);
        }
        return all;
    }

    /**
     * Issues one command plus CMD_SYNC on a random vCPU's queue and checks status, bound and (inline) that
     * the SMMU executed exactly one non-sync command.
     */
    private boolean issue(final VmSlot slot, final long dword0, final long dword1)
    {
        command.putLong(0, dword0, ByteOrder.LITTLE_ENDIAN);
        command.putLong(8, dword1, ByteOrder.LITTLE_ENDIAN);
        final long executedBefore = nonSyncExecuted(slot.smmu);
        final long start = System.nanoTime();
        final int status = slot.vm.issue(0, random.nextInt(VCPUS), command, 0, 1, true);
        final long elapsed = System.nanoTime() - start;
        counts.add(StressCounts.COMMANDS, 1);
        counts.check(elapsed <= boundNs, "an issue with sync took " + elapsed + " ns, over the bound", slot);
        if (!counts.check(status == IssueStatus.OK, "command + sync failed: " + IssueStatus.name(status), slot))
        {
            slot.booksExact = false;
            return false;
        }
        counts.add(StressCounts.SYNCS, 1);
        if (inline)
        {
            final long executed = nonSyncExecuted(slot.smmu) - executedBefore;
            counts.check(executed == 1, "the SMMU executed " + executed + " commands for 1 issued (lost or duplicated)", slot);
        }
        return true;
    }

    /** Compares a released device's pSID books (executed, from the ledger) with what the VM issued OK. */
    private void settleDevice(final VmSlot slot, final int d)
    {
        final long psid = slot.psids[d];
        final long executed = ledger.settlePsid(slot.smmu, psid);
        settle(slot, executed, slot.atcIssued[d], "pSID-named commands of psid 0x", psid, 16);
    }

    /** At teardown: the VMID's books, the host's VMID-wide invalidation, and every device's pSID books. */
    private void settleVm(final VmSlot slot)
    {
        final long executed = ledger.settleVmid(slot.smmu, slot.vmid);
        settle(slot, executed, slot.tlbiIssued, "VMID-named commands of vmid ", slot.vmid, 10);
        final long vmalls = ledger.settleHostVmall(slot.smmu, slot.vmid);
        counts.check(vmalls == HOST_VMALLS_PER_TEARDOWN, "exactly-once: the host's TLBI_S12_VMALL of vmid " + slot.vmid +
            " executed " + vmalls + " times at teardown, not " + HOST_VMALLS_PER_TEARDOWN, slot);
        for (int d = 0; d < slot.deviceCount; d++)
        {
            settleDevice(slot, d);
        }
    }

    private void settle(final VmSlot slot, final long executed, final long issued, final String what, final long owner,
        final int radix)
    {
        if (!slot.booksExact)
        {
            // a failed issue left a command that may or may not execute: the books are closed uncompared
            counts.add(StressCounts.UNSETTLED_OWNERS, 1);
            return;
        }
        if (counts.check(executed == issued, "exactly-once: smmu " + slot.smmu + " executed " + executed + " " + what +
            Long.toString(owner, radix) + " for " + issued + " issued OK (lost or duplicated)", slot))
        {
            counts.add(StressCounts.SETTLED_COMMANDS, executed);
        }
        counts.add(StressCounts.SETTLED_OWNERS, 1);
    }

    private long nonSyncExecuted(final int smmu)
    {
        return platform.gate(smmu).executed() - platform.gate(smmu).syncs();
    }

    private void plantTlb(final VmSlot slot, final int asid)
    {
        if (slot.tlbCount == VmSlot.MAX_TLB)
        {
            return;
        }
        final long va = (1L + random.nextInt(1 << 20)) << 12;
        final int vmid = slot.vmid;
        final boolean added = query(slot.smmu, c -> c.tlb().insert(TlbEntryKind.STAGE1, vmid, asid, va, 12, true));
        if (added)
        {
            slot.tlbAsid[slot.tlbCount] = asid;
            slot.tlbVa[slot.tlbCount] = va;
            slot.tlbCount++;
            counts.add(StressCounts.ENTRIES_PLANTED, 1);
        }
    }

    private void plantAtc(final VmSlot slot, final long psid)
    {
        if (slot.atcCount == VmSlot.MAX_ATC)
        {
            return;
        }
        final long address = (1L + random.nextInt(1 << 20)) << 12;
        final boolean added = query(slot.smmu, c -> c.atc().insert(psid, AtcCache.NO_SSID, address, 12));
        if (added)
        {
            slot.atcPsid[slot.atcCount] = psid;
            slot.atcAddress[slot.atcCount] = address;
            slot.atcCount++;
            counts.add(StressCounts.ENTRIES_PLANTED, 1);
        }
    }

    private boolean tlbCached(final VmSlot slot, final int asid, final long va)
    {
        final int vmid = slot.vmid;
        return query(slot.smmu, c -> c.tlb().contains(TlbEntryKind.STAGE1, vmid, asid, va, 12, true));
    }

    /** As {@code Platform.queryCaches}, over the caches this harness built (the ledger's tap sits before them). */
    private <T> T query(final int smmu, final Function<SmmuCaches, T> query)
    {
        final SmmuCaches c = caches[smmu];
        return platform.gate(smmu).query(() -> query.apply(c));
    }

    private boolean atcCached(final VmSlot slot, final long psid, final long address)
    {
        return query(slot.smmu, c -> c.atc().contains(psid, AtcCache.NO_SSID, address, 12));
    }
}
