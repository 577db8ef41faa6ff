package dev.cmdq.bench.scenario;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.GuestSmmu;
import dev.cmdq.vcmdq.guest.GuestVcpu;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.ExecutionGate;
import dev.cmdq.vcmdq.testbed.GuestPath;
import dev.cmdq.vcmdq.testbed.Platform;
import dev.cmdq.vcmdq.testbed.Vm;
import dev.cmdq.vcmdq.testbed.VmConfig;
import dev.cmdq.vcmdq.testbed.VmSmmu;
import dev.cmdq.vcmdq.vmm.CostKind;
import dev.cmdq.vcmdq.vmm.CostMeter;
import dev.cmdq.vcmdq.vmm.ModelledCosts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link PathFactory} over the testbed ({@code dev.cmdq.vcmdq.testbed}), the one place that wires
 * the four layers: a {@link Platform} with one physical SMMU with CMDQV, one device, one VM on the
 * path's {@link GuestPath} (trapped: one fanned-out vSMMU, per-command or batched forwarding; VCMDQ:
 * one vSMMU per physical SMMU with QEMU's 2 VCMDQs).
 *
 * <pre>
 *  UnmapPath.unmap(v, iova) ──▶ Vm.unmap(v, request) ──▶ guest driver ──▶ trapped: vSMMU ─▶ iommufd ─▶ main CMDQ ─┐
 *                                                                         VCMDQ:   the vSMMU's mapped VCMDQs ────┤
 *                                                                                               SMMU engine ─▶ CountingExecution
 * </pre>
 *
 * Simulated mode: engines inline (the testbed's waiters drive them), the VM's meter only counts (the
 * timeline charges the costs). Real mode: engines threaded; the VM's meter busy-waits exits and
 * syscalls and the execution busy-waits the hardware time per command. The SMMU executes into
 * {@link CountingExecution} (no caches: a latency run checks no cache contents). With background
 * traffic a second VM (trapped per-command, one vCPU, pSID 0x101 / vSID 0x9) shares the SMMU; each
 * background step is one 4 KiB unmap of it, i.e. one TLBI and one host CMD_SYNC on the main CMDQ.
 */
public final class TestbedPaths implements PathFactory
{
    /** The device's physical StreamID. */
    static final long PSID = 0x100;
    /** The device's guest StreamID. */
    static final long VSID = 0x8;
    /** The domain's ASID. */
    static final int ASID = 1;
    /** The background VM's device: physical StreamID. */
    static final long BACKGROUND_PSID = 0x101;
    /** The background VM's device: guest StreamID. */
    static final long BACKGROUND_VSID = 0x9;

    private final HostCmdqStrategy hostStrategy;
    private final boolean background;

    /**
     * Paths without background traffic.
     *
     * @param hostStrategy how the host inserts into the main CMDQ.
     */
    public TestbedPaths(final HostCmdqStrategy hostStrategy)
    {
        this(hostStrategy, false);
    }

    /**
     * @param hostStrategy how the host inserts into the main CMDQ.
     * @param background   also create a second, trapped per-command VM with one vCPU and its own device
     *                     behind the same SMMU, for {@link UnmapPath#background}.
     */
    public TestbedPaths(final HostCmdqStrategy hostStrategy, final boolean background)
    {
        this.hostStrategy = Objects.requireNonNull(hostStrategy, "hostStrategy");
        this.background = background;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public UnmapPath open(final PathKind kind, final Workload workload, final CostProfile costs, final TimingMode mode)
    {
        return new Wired(kind, workload, costs, mode, hostStrategy, background);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int extraBusyActors(final TimingMode mode)
    {
        // The SMMU engine, and the host's writer thread when the strategy has one.
        return hostStrategy == HostCmdqStrategy.DISPATCH_THREAD ? 2 : 1;
    }

    /** One platform with one VM; closing it tears everything down. */
    private static final class Wired implements UnmapPath
    {
        private final PathKind kind;
        private final Platform platform;
        private final CountingExecution execution;
        private final Vm vm;
        private final CostMeter meter;
        private final GuestVcpu[] vcpus;
        private final UnmapRequest[] requests;
        private final long bufferBytes;
        private final List<String> describe = new ArrayList<>();
        private final Vm backgroundVm;
        private final CostMeter backgroundMeter;
        private final UnmapRequest backgroundRequest;

        Wired(final PathKind kind, final Workload workload, final CostProfile costs, final TimingMode mode,
            final HostCmdqStrategy hostStrategy, final boolean background)
        {
            this.kind = kind;
            this.bufferBytes = workload.bufferBytes();
            final boolean real = mode == TimingMode.REAL;
            execution = new CountingExecution(real ? Math.round(costs.hwCmdNs()) : 0);
            platform = Platform.builder().smmus(1).engineMode(real ? EngineMode.THREADED : EngineMode.INLINE)
                .hostStrategy(hostStrategy).execution(smmu -> execution).build();
            final HostDevice device = platform.bindDevice(0, PSID);
            final VmConfig config = VmConfig.of("vm0", path(kind), workload.threads())
                .withCosts(real ? costs.modelled() : ModelledCosts.NONE);
            vm = platform.createVm(config);
            vm.attach(VSID, device);
            meter = vm.meter();
            final VmSmmu smmu = vm.smmu(0);
            final GuestSmmu guest = smmu.guest();
            vcpus = new GuestVcpu[workload.threads()];
            requests = new UnmapRequest[workload.threads()];
            for (int v = 0; v < vcpus.length; v++)
            {
                vcpus[v] = guest.vcpu(v);
                requests[v] = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).granule(Workload.PAGE_SIZE).leaf(true)
                    .pageSize(Workload.PAGE_SIZE).rangeInvalidation(workload.rangeInvalidation()).asid(ASID).vmid(0)
                    .ats(workload.ats()).sid(VSID).ssid(0).size(workload.bufferBytes());
            }
            if (background)
            {
                final HostDevice other = platform.bindDevice(0, BACKGROUND_PSID);
                backgroundVm = platform.createVm(VmConfig.of("background", GuestPath.TRAPPED_PER_COMMAND, 1)
                    .withCosts(real ? costs.modelled() : ModelledCosts.NONE));
                backgroundVm.attach(BACKGROUND_VSID, other);
                backgroundMeter = backgroundVm.meter();
                backgroundRequest = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).granule(Workload.PAGE_SIZE).leaf(true)
                    .pageSize(Workload.PAGE_SIZE).rangeInvalidation(false).asid(ASID).vmid(0).ats(false)
                    .sid(BACKGROUND_VSID).ssid(0).size(Workload.PAGE_SIZE);
            }
            else
            {
                backgroundVm = null;
                backgroundMeter = null;
                backgroundRequest = null;
            }
            describe.addAll(platform.describe());
            describe.add("VM: one device (pSID 0x" + Long.toHexString(PSID) + ", vSID 0x" + Long.toHexString(VSID) +
                ") behind one physical SMMU, path " + config.path() + " (" + config.topology() + "); guest: Linux " +
                "arm_smmu_tlb_inv_range_domain per unmap (granule 4 KiB, leaf), RIL " + workload.rangeInvalidation() +
                ", ATS " + workload.ats());
        }

        private static GuestPath path(final PathKind kind)
        {
            return switch (kind)
            {
                case TRAPPED_PER_COMMAND -> GuestPath.TRAPPED_PER_COMMAND;
                case TRAPPED_BATCHED -> GuestPath.TRAPPED_BATCHED;
                case VCMDQ -> GuestPath.VCMDQ;
            };
        }

        @Override
        public void unmap(final int vcpu, final long iova)
        {
            final int status = vm.unmap(vcpu, requests[vcpu].iova(iova));
            if (status != IssueStatus.OK)
            {
                throw new IllegalStateException(kind.label() + ": unmap of 0x" + Long.toHexString(bufferBytes) + " bytes at iova 0x" +
                    Long.toHexString(iova) + " on vcpu " + vcpu + " failed: " + IssueStatus.name(status));
            }
        }

        @Override
        public void background(final long seq, final PathCounts counts)
        {
            if (backgroundVm == null)
            {
                throw new UnsupportedOperationException(kind.label() + ": opened without background traffic");
            }
            final ExecutionGate gate = platform.gate(0);
            final long exits = backgroundMeter.count(CostKind.VM_EXIT);
            final long syscalls = backgroundMeter.count(CostKind.SYSCALL);
            final long syncs = gate.signalledSyncs();
            final long executed = gate.executed();
            final long iova = IovaSequence.BASE + (seq & 0xFFFF) * Workload.PAGE_SIZE;
            final int status = backgroundVm.unmap(0, backgroundRequest.iova(iova));
            if (status != IssueStatus.OK)
            {
                throw new IllegalStateException("background unmap " + seq + " at iova 0x" + Long.toHexString(iova) +
                    " failed: " + IssueStatus.name(status));
            }
            counts.set(PathCounts.EXITS, backgroundMeter.count(CostKind.VM_EXIT) - exits);
            counts.set(PathCounts.SYSCALLS, backgroundMeter.count(CostKind.SYSCALL) - syscalls);
            counts.set(PathCounts.HOST_SYNCS, gate.signalledSyncs() - syncs);
            counts.set(PathCounts.HW_COMMANDS, gate.executed() - executed);
        }

        @Override
        public void readCounters(final PathCounts into)
        {
            long commands = 0;
            long syncs = 0;
            for (final GuestVcpu vcpu : vcpus)
            {
                commands += vcpu.commands();
                syncs += vcpu.syncs();
            }
            final ExecutionGate gate = platform.gate(0);
            into.set(PathCounts.EXITS, meter.count(CostKind.VM_EXIT));
            into.set(PathCounts.SYSCALLS, meter.count(CostKind.SYSCALL));
            into.set(PathCounts.HOST_SYNCS, gate.signalledSyncs());
            into.set(PathCounts.GUEST_COMMANDS, commands);
            into.set(PathCounts.GUEST_SYNCS, syncs);
            into.set(PathCounts.HW_COMMANDS, gate.executed());
        }

        @Override
        public List<String> describe()
        {
            return List.copyOf(describe);
        }

        @Override
        public void close()
        {
            platform.close();
        }
    }
}
