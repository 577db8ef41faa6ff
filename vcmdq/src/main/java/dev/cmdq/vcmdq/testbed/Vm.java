package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.vcmdq.guest.GuestSmmu;
import dev.cmdq.vcmdq.guest.GuestVcpu;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.IommufdFile;
import dev.cmdq.vcmdq.host.Vdevice;
import dev.cmdq.vcmdq.host.Veventq;
import dev.cmdq.vcmdq.host.Viommu;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.vmm.BackendSteInstaller;
import dev.cmdq.vcmdq.vmm.BusyWaitCostMeter;
import dev.cmdq.vcmdq.vmm.CostMeter;
import dev.cmdq.vcmdq.vmm.SmmuPage0;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import dev.cmdq.vcmdq.vmm.Vsmmu;
import dev.cmdq.vcmdq.vmm.VsmmuConfig;
import dev.cmdq.vcmdq.vmm.VsmmuTopology;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One virtual machine on a {@link Platform}: its RAM, its vSMMUs ({@link VmSmmu}) with the guest driver
 * over each, its attached devices, and its counters.
 *
 * <pre>
 *   fanned out:    vSMMU 0 made at creation (trapped only); attach(vsid, dev) adds a vDEVICE, the
 *                  topology allocating a vIOMMU per physical SMMU on demand.
 *   per physical:  the first device behind physical SMMU k makes a vSMMU for it with one vIOMMU
 *                  (trapped: ARM_SMMUV3, as upstream QEMU); on the VCMDQ path a TEGRA241_CMDQV one,
 *                  then: allocate HW queues 0..n-1 (ascending) and a vEVENTQ,
 *                  enable each queue (CONFIG.CMDQ_EN, wait STATUS.CMDQ_EN_OK), and build the guest
 *                  driver over the mapped registers.
 *   every vSMMU:   its emulated CMDQ, programmed through MMIO as Linux does (CMDQ_BASE, PROD, CONS,
 *                  CR0.CMDQEN, wait CR0ACK), with a guest driver over the trapping registers.
 * </pre>
 *
 * <p><b>Traffic</b> ({@link #unmap}, {@link #issue}, {@link #issueTrapped}) may run on one thread per
 * vCPU, concurrently with other VMs and with set-up on this platform; it takes no lock of the testbed and
 * allocates nothing once warm. A vCPU is driven by one thread at a time.
 *
 * <p><b>Set-up and tear-down</b> ({@link #attach}, {@link #detach}, {@link #close}) serialise on the
 * platform. Hot-unplug ({@link #detach}) destroys the vDEVICE — on a CMDQV vIOMMU the host first drains
 * the VINTF's queues and syncs (§1.9) — so later commands naming the vSID fail: CERROR_ILL on the
 * emulated CMDQ, a halted VCMDQ (unmatched SID) on the direct path. {@link #close()} runs the teardown
 * order of §1.9 step 5: guest drivers closed, then HW queues destroyed in descending index (disable,
 * wait, host sync, unmap), vEVENTQ, vDEVICEs, vIOMMUs, their S2 parents; then the VM's own iommufd
 * context ({@link #iommufd()}, which the VMM reaches the host through) is closed.
 *
 * <p>Model limits: vSIDs are unique within a VM (a detached vSID may be attached again, to the same or
 * another device); guest CFGI_STE re-installs the STE through the host
 * ({@link BackendSteInstaller}).
 */
public final class Vm implements AutoCloseable
{
    /** The queue argument of {@link #queueRegisters} and {@link #recover} naming a vSMMU's emulated CMDQ. */
    public static final int EMULATED_CMDQ = -1;

    /** CMD_SYNC (0x46) with CS = NONE: the repair written over a refused command. */
    private static final long CMD_SYNC_CS_NONE = 0x46;
    private static final int METADATA_BYTES = 256 * 1024;
    private static final int VALUES_BYTES = 64 * 1024;

    private final Platform platform;
    private final VmConfig config;
    private final GuestMemory memory;
    private final CountersManager counters;
    private final CostMeter meter;
    /** This VM's own iommufd context: its object IDs and its RAM mapping. */
    private final IommufdFile iommufd;
    private final Map<Long, VmDevice> devices = new LinkedHashMap<>();
    private volatile VmSmmu[] smmus = new VmSmmu[0];
    private long nextGpa;
    private volatile boolean closed;

    Vm(final Platform platform, final VmConfig config)
    {
        this.platform = platform;
        this.config = Objects.requireNonNull(config, "config");
        this.memory = GuestMemory.allocate(config.ramBase(), config.ramBytes());
        this.nextGpa = config.ramBase();
        this.counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(METADATA_BYTES)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(VALUES_BYTES)));
        this.meter = new BusyWaitCostMeter(config.costs());
        // Its own /dev/iommu, the VM's RAM mapped once (IOAS_MAP): other VMs' IDs are ENOENT here.
        this.iommufd = platform.iommufd().open();
        iommufd.mapGuestMemory(memory);
        if (config.topology() == TopologyKind.FANNED_OUT)
        {
            publish(newSmmu(-1));
        }
    }

    /**
     * Hot-plugs a host device into this VM as guest StreamID {@code vsid}.
     *
     * @param vsid   its guest StreamID, unique within the VM.
     * @param device a device bound on the platform ({@link Platform#bindDevice}).
     * @return the attachment (which vSMMU, vIOMMU and vDEVICE it got).
     * @throws IllegalArgumentException naming {@code vsid} when the VM already has it.
     * @throws dev.cmdq.vcmdq.host.IommufdException the host's refusal (e.g. a device another VM owns: EEXIST;
     *                                               no free VINTF on the SMMU: ENOSPC).
     */
    public VmDevice attach(final long vsid, final HostDevice device)
    {
        Objects.requireNonNull(device, "device");
        synchronized (platform)
        {
            checkOpen();
            if (devices.containsKey(vsid))
            {
                throw new IllegalArgumentException("vsid=0x" + Long.toHexString(vsid) + " is already attached to " +
                    config.name() + ": " + devices.get(vsid));
            }
            if (config.topology() == TopologyKind.FANNED_OUT)
            {
                return record(vsid, device, 0, smmus[0].vsmmu().attach(device.devId(), vsid));
            }
            final int index = indexOfPhysical(device.smmuId());
            if (index >= 0)
            {
                return record(vsid, device, index, smmus[index].vsmmu().attach(device.devId(), vsid));
            }
            return attachFirstOn(vsid, device);
        }
    }

    /**
     * Hot-unplugs the device attached as {@code vsid} through its vSMMU ({@link Vsmmu#detach}): destroys its
     * vDEVICE (on a CMDQV vIOMMU after the host's drain) and removes its route. Traffic may continue
     * meanwhile; commands naming the vSID afterwards fail cleanly, and the vSID may be attached again.
     *
     * @param vsid an attached guest StreamID.
     * @return what was detached.
     * @throws IllegalArgumentException naming {@code vsid} when no device is attached under it.
     * @throws dev.cmdq.vcmdq.host.IommufdException ETIMEDOUT when the drain did not finish in the wait bound
     *                                               (the device stays attached; retry).
     */
    public VmDevice detach(final long vsid)
    {
        synchronized (platform)
        {
            checkOpen();
            final VmDevice device = devices.get(vsid);
            if (device == null)
            {
                throw new IllegalArgumentException("vsid=0x" + Long.toHexString(vsid) + " is not attached to " + config.name());
            }
            smmus[device.vsmmu()].vsmmu().detach(vsid);
            devices.remove(vsid);
            return device;
        }
    }

    /**
     * Runs one invalidation request on vCPU {@code vcpu} of vSMMU {@code vsmmu}'s guest driver (the
     * VCMDQ Linux picks for that vCPU on the direct path, the emulated CMDQ otherwise) and waits for its
     * syncs. Allocates nothing once warm.
     *
     * @param vsmmu   index of the vSMMU.
     * @param vcpu    the CPU number.
     * @param request what to invalidate.
     * @return {@link dev.cmdq.queue.issue.IssueStatus#OK} or the first failing insertion's status.
     * @throws IndexOutOfBoundsException naming {@code vsmmu} or {@code vcpu} when out of range.
     */
    public int unmap(final int vsmmu, final int vcpu, final UnmapRequest request)
    {
        return smmu(vsmmu).guest().unmap(vcpu, request);
    }

    /**
     * {@link #unmap(int, int, UnmapRequest)} on the VM's only vSMMU.
     *
     * @param vcpu    the CPU number.
     * @param request what to invalidate.
     * @return the status.
     * @throws IllegalStateException when the VM has no or several vSMMUs (name one then).
     */
    public int unmap(final int vcpu, final UnmapRequest request)
    {
        final VmSmmu[] current = smmus;
        if (current.length != 1)
        {
            throw new IllegalStateException(config.name() + " has " + current.length +
                " vSMMUs: name one with unmap(vsmmu, vcpu, request)");
        }
        return current[0].guest().unmap(vcpu, request);
    }

    /**
     * Issues raw commands as the guest driver would, on the queue vCPU {@code vcpu} uses on vSMMU
     * {@code vsmmu} (its VCMDQ on the direct path, else the emulated CMDQ) — for commands the modelled
     * invalidation sequences do not build (forged fields, forbidden opcodes, CFGI_*).
     *
     * @param vsmmu    index of the vSMMU.
     * @param vcpu     the CPU number.
     * @param commands 16 bytes per command, little-endian.
     * @param offset   byte offset of the first.
     * @param count    commands, 0..{@value CommandIssuer#MAX_COMMANDS}.
     * @param sync     append a CMD_SYNC and wait for it (bounded).
     * @return an {@link dev.cmdq.queue.issue.IssueStatus} code.
     */
    public int issue(
        final int vsmmu, final int vcpu, final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        final GuestSmmu guest = smmu(vsmmu).guest();
        final GuestVcpu cpu = guest.vcpu(vcpu);
        return guest.queue(cpu.queue()).issue(commands, offset, count, sync);
    }

    /**
     * Issues raw commands on vSMMU {@code vsmmu}'s emulated (trapped) CMDQ, whatever the path — where Linux
     * sends what a VCMDQ does not accept.
     *
     * @param vsmmu    index of the vSMMU.
     * @param commands 16 bytes per command, little-endian.
     * @param offset   byte offset of the first.
     * @param count    commands, 0..{@value CommandIssuer#MAX_COMMANDS}.
     * @param sync     append a CMD_SYNC and wait for it (bounded).
     * @return an {@link dev.cmdq.queue.issue.IssueStatus} code.
     */
    public int issueTrapped(final int vsmmu, final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        return smmu(vsmmu).emulated().queue(0).issue(commands, offset, count, sync);
    }

    /**
     * The guest's view of one of its queues' registers: the emulated CMDQ's trapping registers (each
     * access an exit) or a VCMDQ's mapped ones.
     *
     * @param vsmmu index of the vSMMU.
     * @param queue {@link #EMULATED_CMDQ} or a logical VCMDQ index.
     * @return its PROD/CONS/GERROR/GERRORN.
     */
    public QueueRegisters queueRegisters(final int vsmmu, final int queue)
    {
        final VmSmmu smmu = smmu(vsmmu);
        return queue == EMULATED_CMDQ ? smmu.vsmmu().cmdqRegisters() : smmu.vcmdqRegisters(queue);
    }

    /**
     * @param vsmmu index of the vSMMU.
     * @param queue {@link #EMULATED_CMDQ} or a logical VCMDQ index.
     * @return true while that queue has an unacknowledged command error (GERROR.CMDQ_ERR != GERRORN's).
     */
    public boolean hasCommandError(final int vsmmu, final int queue)
    {
        final QueueRegisters registers = queueRegisters(vsmmu, queue);
        return (GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) & GlobalError.CMDQ_ERR) != 0;
    }

    /**
     * The guest driver's command-error handler (Linux's {@code __arm_smmu_cmdq_skip_err}): when the queue
     * halted with CERROR_ILL, a VCMDQ's CERROR_ILL_ACCESS or any other code Linux does not retry, the
     * offending command at CONS is replaced by a CMD_SYNC with CS = NONE (Linux's choice on a VCMDQ; the
     * emulated CMDQ completes a sync itself whatever its CS); CERROR_ABT (fetch) and CERROR_ATC_INV_SYNC
     * leave it to be retried (vcmdq-viommu.md §1.9 step 2). Then
     * GERRORN := GERROR acknowledges, and the queue resumes from CONS — nothing queued after the error is
     * lost. On the emulated CMDQ the acknowledge is a trapped write that runs the trap handler.
     *
     * @param vsmmu index of the vSMMU.
     * @param queue {@link #EMULATED_CMDQ} or a logical VCMDQ index.
     * @return the CERROR code found in CONS.ERR, or {@link CommandError#NONE} when the queue had no error
     *         (nothing is written then).
     */
    public int recover(final int vsmmu, final int queue)
    {
        final VmSmmu smmu = smmu(vsmmu);
        final QueueRegisters registers = queueRegisters(vsmmu, queue);
        final int gerror = registers.getGerrorAcquire();
        if ((GlobalError.active(gerror, registers.getGerrornAcquire()) & GlobalError.CMDQ_ERR) == 0)
        {
            return CommandError.NONE;
        }
        final int cons = registers.getConsAcquire();
        final int error = (cons >>> SmmuPage0.CONS_ERR_SHIFT) & 0x7F;
        // Linux retries the fetch on ABT and the sync on ATC_INV_SYNC; every other code skips the command.
        if (error != CommandError.ABT && error != CommandError.ATC_INV_SYNC && error != CommandError.NONE)
        {
            final long ring = queue == EMULATED_CMDQ ? smmu.cmdqGpa() : smmu.vcmdqGpa(queue);
            final int slot = memory.offsetOf(ring) + (QueueIndex.index(cons, config.queueLog2Size()) << 4);
            memory.buffer().putLong(slot, CMD_SYNC_CS_NONE, ByteOrder.LITTLE_ENDIAN);
            memory.buffer().putLong(slot + 8, 0, ByteOrder.LITTLE_ENDIAN);
        }
        // The release store of the acknowledge publishes the repaired slot to the consumer.
        registers.putGerrornRelease(gerror);
        return error;
    }

    /**
     * Reads one record of vSMMU {@code vsmmu}'s vEVENTQ (the VMM's view of guest-VCMDQ errors).
     *
     * @param vsmmu  index of a vSMMU on the VCMDQ path.
     * @param buffer where the record goes ({@value Veventq#RECORD_BYTES} bytes).
     * @param offset byte offset in it.
     * @return bytes written; 0 when no event is pending.
     * @throws IllegalStateException when the vSMMU has no vEVENTQ (trapped path).
     */
    public int readVevent(final int vsmmu, final MutableDirectBuffer buffer, final int offset)
    {
        final VmSmmu smmu = smmu(vsmmu);
        if (smmu.veventqId() == 0)
        {
            throw new IllegalStateException("vSMMU " + vsmmu + " of " + config.name() + " has no vEVENTQ (path " +
                config.path() + ")");
        }
        return iommufd.readVevent(smmu.veventqId(), buffer, offset);
    }

    /**
     * @param vsmmu index of a vSMMU.
     * @return it.
     * @throws IndexOutOfBoundsException naming {@code vsmmu} when out of range.
     */
    public VmSmmu smmu(final int vsmmu)
    {
        final VmSmmu[] current = smmus;
        if (vsmmu < 0 || vsmmu >= current.length)
        {
            throw new IndexOutOfBoundsException("vsmmu=" + vsmmu + " is outside 0.." + (current.length - 1) + " of " +
                config.name());
        }
        return current[vsmmu];
    }

    /**
     * @return number of vSMMUs now (grows on the VCMDQ path as devices behind new physical SMMUs attach).
     */
    public int smmuCount()
    {
        return smmus.length;
    }

    /**
     * @param vsid an attached guest StreamID.
     * @return the index of the vSMMU it sits behind.
     * @throws IllegalArgumentException naming {@code vsid} when not attached.
     */
    public int smmuOf(final long vsid)
    {
        return device(vsid).vsmmu();
    }

    /**
     * @param vsid an attached guest StreamID.
     * @return its attachment.
     * @throws IllegalArgumentException naming {@code vsid} when not attached.
     */
    public VmDevice device(final long vsid)
    {
        synchronized (platform)
        {
            final VmDevice device = devices.get(vsid);
            if (device == null)
            {
                throw new IllegalArgumentException("vsid=0x" + Long.toHexString(vsid) + " is not attached to " + config.name());
            }
            return device;
        }
    }

    /**
     * @return the attached devices, in attach order.
     */
    public List<VmDevice> devices()
    {
        synchronized (platform)
        {
            return List.copyOf(devices.values());
        }
    }

    /**
     * The VMID the host gave this VM's vIOMMU on a physical SMMU (host configuration, for a test's
     * expectations).
     *
     * @param smmuId a physical SMMU.
     * @return the VMID.
     * @throws IllegalStateException naming {@code smmuId} when the VM has no vIOMMU there.
     */
    public int vmidOn(final int smmuId)
    {
        final Viommu viommu = viommuOn(smmuId);
        if (viommu == null)
        {
            throw new IllegalStateException(config.name() + " has no vIOMMU on smmu " + smmuId + " (attach a device behind it)");
        }
        return viommu.vmid();
    }

    /**
     * @return this VM's own iommufd context (its VMM's {@code /dev/iommu}): it reaches only the object
     *         IDs this VM created; another VM's are ENOENT there. Closed with the VM.
     */
    public IommufdFile iommufd()
    {
        return iommufd;
    }

    /**
     * @return a snapshot of the counters.
     */
    public VmCounters counters()
    {
        long exits = 0;
        long calls = 0;
        long trapped = 0;
        long errors = 0;
        long commands = 0;
        long syncs = 0;
        long failures = 0;
        for (final VmSmmu smmu : smmus)
        {
            exits += smmu.vsmmu().counters().totals().traps().get();
            calls += smmu.vsmmu().counters().invalidateCalls().get();
            trapped += smmu.vsmmu().cmdqCounters().commands().get();
            errors += smmu.vsmmu().cmdqCounters().errors().get();
            for (final GuestSmmu guest : new GuestSmmu[] {smmu.emulated(), smmu.vcmdqs()})
            {
                if (guest != null)
                {
                    for (int c = 0; c < guest.vcpuCount(); c++)
                    {
                        final GuestVcpu vcpu = guest.vcpu(c);
                        commands += vcpu.commands();
                        syncs += vcpu.syncs();
                        failures += vcpu.failures();
                    }
                }
            }
        }
        return new VmCounters(exits, calls, trapped, errors, commands, syncs, failures);
    }

    /**
     * @return the VM's RAM.
     */
    public GuestMemory memory()
    {
        return memory;
    }

    /**
     * @return how it was built.
     */
    public VmConfig config()
    {
        return config;
    }

    /**
     * @return the meter the modelled costs are charged to.
     */
    public CostMeter meter()
    {
        return meter;
    }

    /**
     * @return true after {@link #close()}.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Tears the VM down (§1.9 step 5 and the host's lifetimes): guest drivers closed (a vCPU still waiting
     * gets CLOSED), then per vSMMU, last first: HW queues in descending index, vEVENTQ, vDEVICEs, vIOMMUs,
     * their S2 parents. Other VMs keep running. Continues past a failing step and rethrows the first
     * failure. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (platform)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            final VmSmmu[] current = smmus;
            for (final VmSmmu smmu : current)
            {
                smmu.emulated().close();
                if (smmu.vcmdqs() != null)
                {
                    smmu.vcmdqs().close();
                }
            }
            RuntimeException failure = null;
            for (int i = current.length - 1; i >= 0; i--)
            {
                failure = teardown(current[i], failure);
            }
            devices.clear();
            try
            {
                // Anything the teardown above could not destroy is retried in the kernel's order.
                iommufd.close();
            }
            catch (final RuntimeException e)
            {
                failure = keep(failure, e);
            }
            platform.remove(this);
            if (failure != null)
            {
                throw failure;
            }
        }
    }

    private RuntimeException teardown(final VmSmmu smmu, final RuntimeException failure)
    {
        RuntimeException first = failure;
        final int[] queues = smmu.hwQueueIds();
        for (int q = queues.length - 1; q >= 0; q--)
        {
            first = attempt(first, queues[q], iommufd);
        }
        if (smmu.veventqId() != 0)
        {
            first = attempt(first, smmu.veventqId(), iommufd);
        }
        for (final VmDevice device : devices.values())
        {
            if (device.vsmmu() == smmu.index())
            {
                first = attempt(first, device.vdeviceId(), iommufd);
            }
        }
        final VsmmuTopology topology = smmu.vsmmu().topology();
        for (int v = topology.viommuCount() - 1; v >= 0; v--)
        {
            final int viommuId = topology.viommuId(v);
            int parentId = 0;
            try
            {
                parentId = iommufd.viommu(viommuId).parent().id();
            }
            catch (final RuntimeException e)
            {
                first = keep(first, e);
            }
            first = attempt(first, viommuId, iommufd);
            if (parentId != 0)
            {
                first = attempt(first, parentId, iommufd);
            }
        }
        return first;
    }

    private static RuntimeException attempt(final RuntimeException failure, final int id, final IommufdFile iommufd)
    {
        try
        {
            iommufd.destroy(id);
            return failure;
        }
        catch (final RuntimeException e)
        {
            return keep(failure, e);
        }
    }

    private static RuntimeException keep(final RuntimeException failure, final RuntimeException e)
    {
        if (failure == null)
        {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    /** Per physical SMMU: the first device behind a new one makes its vSMMU (and, direct, its VCMDQs). */
    private VmDevice attachFirstOn(final long vsid, final HostDevice device)
    {
        final VmSmmu bare = newSmmu(device.smmuId());
        final int viommuId = bare.vsmmu().attach(device.devId(), vsid);
        if (!config.path().usesVcmdqs())
        {
            publish(bare);
            return record(vsid, device, bare.index(), viommuId);
        }
        final int n = config.vcmdqs();
        final int[] ids = new int[n];
        final long[] gpas = new long[n];
        final QueueRegisters[] registers = new QueueRegisters[n];
        int veventq = 0;
        int made = 0;
        try
        {
            final long bytes = 16L << config.queueLog2Size();
            for (; made < n; made++)
            {
                gpas[made] = allocateRing(config.queueLog2Size());
                ids[made] = iommufd.allocHwQueue(viommuId, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, made, gpas[made], bytes);
            }
            veventq = iommufd.allocVeventq(viommuId, Veventq.TYPE_TEGRA241_CMDQV, config.veventqDepth());
            for (int q = 0; q < n; q++)
            {
                // The guest enables its queue itself through the mapped page (§1.10 step 3) and waits for EN_OK.
                iommufd.writeHwQueueConfig(ids[q], 1);
                final int id = ids[q];
                platform.await(() -> (iommufd.hwQueueStatus(id) & 1) != 0, "hw_queue_id=" + id + " STATUS.CMDQ_EN_OK");
                registers[q] = iommufd.hwQueueRegisters(ids[q]);
            }
        }
        catch (final RuntimeException e)
        {
            RuntimeException failure = e;
            for (int q = made - 1; q >= 0; q--)
            {
                failure = attempt(failure, ids[q], iommufd);
            }
            if (veventq != 0)
            {
                failure = attempt(failure, veventq, iommufd);
            }
            for (final Vdevice vdevice : iommufd.viommu(viommuId).vdevices())
            {
                failure = attempt(failure, vdevice.id(), iommufd);
            }
            final int parentId = iommufd.viommu(viommuId).parent().id();
            failure = attempt(failure, viommuId, iommufd);
            failure = attempt(failure, parentId, iommufd);
            throw failure;
        }
        final GuestSmmu vcmdqs = GuestSmmu.vcmdqs(memory, gpas, config.queueLog2Size(), registers, config.vcpus(), false,
            platform.waitPolicy());
        final VmSmmu smmu = new VmSmmu(bare.index(), device.smmuId(), bare.vsmmu(), bare.cmdqGpa(), bare.emulated(), vcmdqs,
            ids, gpas, registers, veventq);
        publish(smmu);
        return record(vsid, device, smmu.index(), viommuId);
    }

    /** A vSMMU with its emulated CMDQ enabled and a guest driver over it; not yet published. */
    private VmSmmu newSmmu(final int physicalSmmu)
    {
        final int index = smmus.length;
        final TopologyKind topology = config.topology();
        final Vsmmu vsmmu = new Vsmmu(VsmmuConfig.of(config.name() + "-vsmmu" + index, topology, config.path().forwarding()),
            memory, iommufd, new BackendSteInstaller(iommufd), meter, counters,
            config.path().usesVcmdqs() ? ViommuType.TEGRA241_CMDQV : ViommuType.ARM_SMMUV3);
        final int log2 = config.queueLog2Size();
        final long gpa = allocateRing(log2);
        // Linux's arm_smmu_device_reset for the CMDQ: base, indices, enable, wait for CR0ACK.
        vsmmu.mmioWrite(SmmuPage0.CMDQ_BASE, SmmuPage0.BASE_RA | gpa | log2, 8);
        vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, 0, 4);
        vsmmu.mmioWrite(SmmuPage0.CMDQ_CONS, 0, 4);
        vsmmu.mmioWrite(SmmuPage0.CR0, SmmuPage0.CR0_CMDQEN, 4);
        platform.await(() -> (vsmmu.mmioRead(SmmuPage0.CR0ACK, 4) & SmmuPage0.CR0_CMDQEN) != 0, vsmmu + " CR0ACK.CMDQEN");
        final GuestSmmu emulated = GuestSmmu.emulatedCmdq(memory, gpa, log2, vsmmu.cmdqRegisters(), config.vcpus(), false,
            platform.waitPolicy());
        return new VmSmmu(index, physicalSmmu, vsmmu, gpa, emulated, null, new int[0], new long[0], new QueueRegisters[0], 0);
    }

    private void publish(final VmSmmu smmu)
    {
        final VmSmmu[] copy = Arrays.copyOf(smmus, smmus.length + 1);
        copy[copy.length - 1] = smmu;
        smmus = copy;
    }

    private VmDevice record(final long vsid, final HostDevice device, final int vsmmu, final int viommuId)
    {
        int vdeviceId = 0;
        for (final Vdevice vdevice : iommufd.viommu(viommuId).vdevices())
        {
            if (vdevice.virtId() == vsid)
            {
                vdeviceId = vdevice.id();
            }
        }
        if (vdeviceId == 0)
        {
            throw new IllegalStateException("viommu_id=" + viommuId + " has no vDEVICE for vsid=0x" + Long.toHexString(vsid) +
                " right after its attach");
        }
        final VmDevice attached = new VmDevice(vsid, device, vsmmu, viommuId, vdeviceId);
        devices.put(vsid, attached);
        return attached;
    }

    private int indexOfPhysical(final int smmuId)
    {
        for (final VmSmmu smmu : smmus)
        {
            if (smmu.physicalSmmu() == smmuId)
            {
                return smmu.index();
            }
        }
        return -1;
    }

    private Viommu viommuOn(final int smmuId)
    {
        for (final VmSmmu smmu : smmus)
        {
            final VsmmuTopology topology = smmu.vsmmu().topology();
            for (int v = 0; v < topology.viommuCount(); v++)
            {
                final Viommu viommu = iommufd.viommu(topology.viommuId(v));
                if (viommu.smmuId() == smmuId)
                {
                    return viommu;
                }
            }
        }
        return null;
    }

    private long allocateRing(final int log2Size)
    {
        final long bytes = 16L << log2Size;
        final long gpa = (nextGpa + bytes - 1) & -bytes;
        if (gpa + bytes > memory.base() + memory.size())
        {
            throw new IllegalStateException(config.name() + ": RAM of " + memory.size() + " bytes has no room for another ring of " +
                bytes + " bytes (raise ramBytes)");
        }
        nextGpa = gpa + bytes;
        return gpa;
    }

    private void checkOpen()
    {
        platform.checkOpen();
        if (closed)
        {
            throw new IllegalStateException(config.name() + " is closed");
        }
    }

    @Override
    public String toString()
    {
        return "Vm{" + config.name() + ", " + config.path() + ", " + smmus.length + " vSMMUs, " + devices.size() + " devices}";
    }
}
