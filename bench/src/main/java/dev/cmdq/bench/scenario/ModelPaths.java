package dev.cmdq.bench.scenario;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.guest.GuestSmmu;
import dev.cmdq.vcmdq.guest.GuestVcpu;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.VmidPolicy;
import dev.cmdq.vcmdq.hw.InlineEngineIdleStrategy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import dev.cmdq.vcmdq.vmm.BusyWaitCostMeter;
import dev.cmdq.vcmdq.vmm.CostKind;
import dev.cmdq.vcmdq.vmm.CostMeter;
import dev.cmdq.vcmdq.vmm.ForwardingPolicy;
import dev.cmdq.vcmdq.vmm.ModelledCosts;
import dev.cmdq.vcmdq.vmm.SmmuPage0;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import dev.cmdq.vcmdq.vmm.Vsmmu;
import dev.cmdq.vcmdq.vmm.VsmmuConfig;
import dev.cmdq.vcmdq.vmm.VsmmuIdentity;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link PathFactory} over the vcmdq layers: one VM with one device behind one physical SMMU with
 * CMDQV, wired as a VMM would (vcmdq-viommu.md §3, §5).
 *
 * <pre>
 *  trapped:  GuestSmmu.emulatedCmdq ──trapping registers──▶ Vsmmu (PER_PHYSICAL_SMMU, forwarding policy)
 *               ──IOMMU_HWPT_INVALIDATE──▶ Iommufd.overHardware ──HostCmdq(strategy)──▶ main CMDQ ─┐
 *  VCMDQ:    GuestSmmu.vcmdqs ──mapped HW-queue registers──▶ guest VINTF's VCMDQs ───────────────────┤
 *                                                                                    PhysicalSmmu engine
 * </pre>
 *
 * Simulated mode: the engine runs inline, driven by every waiter's idle strategy (host syncs, guest CONS
 * polls), and the VMM's cost meter only counts (the timeline charges the costs). Real mode: the engine
 * has its own thread and busy-waits the hardware time per command; the VMM's meter busy-waits exits and
 * syscalls. The guest uses 2 VCMDQs (what QEMU exposes; vCPU c uses c % 2) on the VCMDQ path. The STE
 * installer refuses: the workload never issues CFGI_STE, and one that did would fail loudly.
 */
public final class ModelPaths implements PathFactory
{
    /** Guest RAM base (guest-physical). */
    static final long RAM_BASE = 0x4000_0000L;
    /** Guest RAM size: room for the rings. */
    static final int RAM_SIZE = 1 << 20;
    /** log2 of every guest ring's entries. */
    static final int RING_LOG2 = 8;
    /** Guest CMDQ / first VCMDQ ring address; further VCMDQ rings follow at 64 KiB steps. */
    static final long RING_GPA = RAM_BASE + 0x1_0000L;
    /** The device's physical StreamID. */
    static final long PSID = 0x100;
    /** The device's guest StreamID. */
    static final long VSID = 0x8;
    /** Guest VCMDQs on the VCMDQ path. */
    static final int GUEST_VCMDQS = 2;
    /** The domain's ASID. */
    static final int ASID = 1;

    private final HostCmdqStrategy hostStrategy;

    /**
     * @param hostStrategy how the host inserts into the main CMDQ.
     */
    public ModelPaths(final HostCmdqStrategy hostStrategy)
    {
        this.hostStrategy = Objects.requireNonNull(hostStrategy, "hostStrategy");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public UnmapPath open(final PathKind kind, final Workload workload, final CostProfile costs, final TimingMode mode)
    {
        return new Wired(kind, workload, costs, mode, hostStrategy);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int extraBusyActors(final TimingMode mode)
    {
        return 1;
    }

    /** One wired VM; closing it tears down guest, host and SMMU. */
    private static final class Wired implements UnmapPath
    {
        private final PathKind kind;
        private final boolean inline;
        private final PhysicalSmmu smmu;
        private final CountingExecution execution;
        private final Iommufd iommufd;
        private final CostMeter meter;
        private final GuestSmmu guest;
        private final UnmapRequest[] requests;
        private final long bufferBytes;
        private final List<String> describe = new ArrayList<>();

        Wired(final PathKind kind, final Workload workload, final CostProfile costs, final TimingMode mode,
            final HostCmdqStrategy hostStrategy)
        {
            this.kind = kind;
            this.bufferBytes = workload.bufferBytes();
            final boolean real = mode == TimingMode.REAL;
            execution = new CountingExecution(real ? Math.round(costs.hwCmdNs()) : 0);
            final PhysicalSmmu built = PhysicalSmmu.builder(execution).build();
            inline = !real;
            smmu = real ? built.startThreaded() : built.startInline();
            final WaitPolicy wait = real ? WaitPolicy.linuxDefault() :
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> new InlineEngineIdleStrategy(built), SystemNanoClock.INSTANCE);
            iommufd = Iommufd.overHardware(VmidPolicy.S2_DOMAIN, hostStrategy, CompletionWait.WRITE_BACK, wait, smmu);
            meter = new BusyWaitCostMeter(real ? costs.modelled() : ModelledCosts.NONE);
            final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
            final int dev = iommufd.bindDevice(0, PSID);
            if (kind.trapped())
            {
                guest = trapped(kind, workload, memory, dev, wait);
            }
            else
            {
                guest = direct(workload, memory, dev, wait);
            }
            requests = new UnmapRequest[workload.threads()];
            for (int v = 0; v < requests.length; v++)
            {
                requests[v] = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).granule(Workload.PAGE_SIZE).leaf(true)
                    .pageSize(Workload.PAGE_SIZE).rangeInvalidation(workload.rangeInvalidation()).asid(ASID).vmid(0)
                    .ats(workload.ats()).sid(VSID).ssid(0).size(workload.bufferBytes());
            }
            describe.addAll(smmu.describe());
            describe.add("host: HostCmdq strategy " + hostStrategy + ", host syncs wait by MSI write-back, VMID policy S2_DOMAIN");
            describe.add("VM: one device (pSID 0x" + Long.toHexString(PSID) + ", vSID 0x" + Long.toHexString(VSID) +
                ") behind one physical SMMU; trapped paths: one vSMMU (PER_PHYSICAL_SMMU) with QEMU's identity, RIL and ATS " +
                "as the options; VCMDQ path: " + GUEST_VCMDQS + " guest VCMDQs of one VINTF, vCPU c on VCMDQ c % " + GUEST_VCMDQS);
            describe.add("guest: Linux arm_smmu_tlb_inv_range_domain per unmap (granule 4 KiB, leaf), waits by CONS polling " +
                "with Linux's policy; " + (real ? "engine threaded" : "engine inline (driven by the waiters)"));
        }

        private GuestSmmu trapped(final PathKind kind, final Workload workload, final GuestMemory memory, final int dev,
            final WaitPolicy wait)
        {
            final ForwardingPolicy forwarding = kind == PathKind.TRAPPED_BATCHED ? ForwardingPolicy.BATCHED : ForwardingPolicy.PER_COMMAND;
            final VsmmuIdentity qemu = VsmmuIdentity.qemuDefault();
            final VsmmuIdentity identity = new VsmmuIdentity(qemu.cmdqLog2Max(), workload.rangeInvalidation(), workload.ats(), qemu.sidBits());
            final VsmmuConfig config = new VsmmuConfig("vsmmu0", TopologyKind.PER_PHYSICAL_SMMU, forwarding, identity,
                VsmmuConfig.DEFAULT_BATCH_ENTRIES);
            final CountersManager counters = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
            final Vsmmu vsmmu = new Vsmmu(config, memory, iommufd, (viommuId, vsid) -> false, meter, counters);
            vsmmu.attach(dev, VSID);
            // The guest driver's probe, as in VmmRig: CMDQ_BASE, PROD = CONS = 0, CR0.CMDQEN (exits not counted: before the run).
            vsmmu.mmioWrite(SmmuPage0.CMDQ_BASE, SmmuPage0.BASE_RA | RING_GPA | RING_LOG2, 8);
            vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, 0, 4);
            vsmmu.mmioWrite(SmmuPage0.CMDQ_CONS, 0, 4);
            vsmmu.mmioWrite(SmmuPage0.CR0, SmmuPage0.CR0_CMDQEN, 4);
            return GuestSmmu.emulatedCmdq(memory, RING_GPA, RING_LOG2, vsmmu.cmdqRegisters(), workload.threads(), false, wait);
        }

        private GuestSmmu direct(final Workload workload, final GuestMemory memory, final int dev, final WaitPolicy wait)
        {
            final int s2 = iommufd.allocNestParent(dev);
            final int viommu = iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev, s2);
            iommufd.allocVdevice(viommu, dev, VSID);
            iommufd.mapGuestMemory(memory);
            final long[] gpas = new long[GUEST_VCMDQS];
            final QueueRegisters[] registers = new QueueRegisters[GUEST_VCMDQS];
            for (int q = 0; q < GUEST_VCMDQS; q++)
            {
                gpas[q] = RING_GPA + q * 0x1_0000L;
                final int hwq = iommufd.allocHwQueue(viommu, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, q, gpas[q], 16L << RING_LOG2);
                iommufd.writeHwQueueConfig(hwq, 1);
                registers[q] = iommufd.hwQueueRegisters(hwq);
            }
            // Let the engine see the enables before the first PROD (inline: one duty cycle; threaded: its own loop).
            if (inline)
            {
                smmu.dutyCycle();
            }
            return GuestSmmu.vcmdqs(memory, gpas, RING_LOG2, registers, workload.threads(), false, wait);
        }

        @Override
        public void unmap(final int vcpu, final long iova)
        {
            final UnmapRequest request = requests[vcpu].iova(iova);
            final int status = guest.unmap(vcpu, request);
            if (status != IssueStatus.OK)
            {
                throw new IllegalStateException(kind.label() + ": unmap of 0x" + Long.toHexString(bufferBytes) + " bytes at iova 0x" +
                    Long.toHexString(iova) + " on vcpu " + vcpu + " failed: " + IssueStatus.name(status));
            }
        }

        @Override
        public void readCounters(final PathCounts into)
        {
            long commands = 0;
            long syncs = 0;
            for (int v = 0; v < guest.vcpuCount(); v++)
            {
                final GuestVcpu vcpu = guest.vcpu(v);
                commands += vcpu.commands();
                syncs += vcpu.syncs();
            }
            into.set(PathCounts.EXITS, meter.count(CostKind.VM_EXIT));
            into.set(PathCounts.SYSCALLS, meter.count(CostKind.SYSCALL));
            // Guest syncs never reach the SMMU on the trapped path (QEMU completes them), and the VCMDQ path
            // has no host work: every sync the SMMU executes on a trapped path is the host's, none on VCMDQ.
            into.set(PathCounts.HOST_SYNCS, kind.trapped() ? execution.syncs() : 0);
            into.set(PathCounts.GUEST_COMMANDS, commands);
            into.set(PathCounts.GUEST_SYNCS, syncs);
            into.set(PathCounts.HW_COMMANDS, execution.commands());
        }

        @Override
        public List<String> describe()
        {
            return List.copyOf(describe);
        }

        @Override
        public void close()
        {
            guest.close();
            iommufd.close();
            smmu.close();
        }
    }
}
