package dev.cmdq.bench.fuzz.system;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.cmdq.bench.fuzz.FuzzContext;
import dev.cmdq.bench.fuzz.FuzzQueueKind;
import dev.cmdq.bench.fuzz.FuzzTarget;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.validate.ReservedBits;
import dev.cmdq.vcmdq.host.HostCmdq;
import dev.cmdq.vcmdq.host.MainCmdqGerrorHandler;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.VmidPolicy;
import dev.cmdq.vcmdq.hw.Cmdqv;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import dev.cmdq.vcmdq.hw.HardwarePolicy;
import dev.cmdq.vcmdq.hw.InlineEngineIdleStrategy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import dev.cmdq.vcmdq.hw.Vcmdq;
import dev.cmdq.vcmdq.hw.VcmdqLayout;
import dev.cmdq.vcmdq.hw.cache.SmmuCaches;
import dev.cmdq.vcmdq.vmm.BusyWaitCostMeter;
import dev.cmdq.vcmdq.vmm.ForwardingPolicy;
import dev.cmdq.vcmdq.vmm.BackendSteInstaller;
import dev.cmdq.vcmdq.vmm.ModelledCosts;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import dev.cmdq.vcmdq.vmm.Vsmmu;
import dev.cmdq.vcmdq.vmm.VsmmuConfig;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * The real system behind the fuzzer, one queue per {@link FuzzQueueKind}, everything inline (the fuzzing
 * thread runs every engine, so the run is deterministic for a seed):
 *
 * <pre>
 *   device SMMU (PhysicalSmmu + SmmuCaches, CMDQV enabled)
 *     MAIN_CMDQ    main CMDQ           <- SingleWriterProducer
 *     HOST_VCMDQ   VINTF0 HYP_OWN=1, LVCMDQ 0 (global 0)             <- SingleWriterProducer over VM RAM
 *     GUEST_VCMDQ  VINTF1 HYP_OWN=0, VMID {@value #GUEST_VMID}, LVCMDQ 0 (global 2),
 *                  SID slot i: owned vSID i -> pSID {@value #PSID_BASE} + i        <- SingleWriterProducer
 *   host SMMU (a second PhysicalSmmu + SmmuCaches, reserved bits never checked)
 *     main CMDQ    <- HostCmdq (Linux lock-free) <- Iommufd <- Vsmmu trap handler;
 *                  its CMDQ_ERRs serviced by the host's GERROR handler (MainCmdqGerrorHandler)
 *     TRAPPED_CMDQ the guest's CMDQ in VM RAM behind Vsmmu.mmioWrite (PER_PHYSICAL_SMMU, PER_COMMAND),
 *                  one bound device per owned vSID (pSID {@value #PSID_BASE} + i)
 * </pre>
 *
 * The hardware policy's reserved-bit checking follows the context's strict flag. Setting up and closing
 * allocate; a warm {@link #submit} does not.
 */
public final class SystemFuzzTarget implements FuzzTarget, AutoCloseable
{
    /** The guest VINTF's VMID. */
    public static final int GUEST_VMID = 0x42;
    /** pSID of the i-th owned vSID. */
    public static final long PSID_BASE = 0x800;
    /** Base of the VM's RAM (guest-physical). */
    public static final long RAM_BASE = 0x4000_0000L;
    /** log2 entries of every fuzzed ring. */
    public static final int LOG2_SIZE = 8;

    private static final int RAM_BYTES = 1 << 20;
    private static final long HOST_VCMDQ_GPA = RAM_BASE + 0x1_0000L;
    private static final long GUEST_VCMDQ_GPA = RAM_BASE + 0x2_0000L;
    private static final long TRAPPED_GPA = RAM_BASE + 0x3_0000L;
    private static final int CACHE_CAPACITY = 1024;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final PhysicalSmmu deviceSmmu;
    private final PhysicalSmmu hostSmmu;
    private final DeviceQueueFeed main;
    private final DeviceQueueFeed hostVcmdq;
    private final DeviceQueueFeed guestVcmdq;
    private final TrappedQueueFeed trapped;
    private final MainCmdqGerrorHandler hostGerror;

    /**
     * Builds and starts the system for {@code context}.
     *
     * @param context   the VM's vSIDs and the modes (strict: {@link ReservedBits#CHECKED}).
     * @param timeoutNs bound of every producer and host wait.
     */
    public SystemFuzzTarget(final FuzzContext context, final long timeoutNs)
    {
        final GuestMemory ram = GuestMemory.allocate(RAM_BASE, RAM_BYTES);
        final HardwarePolicy policy = HardwarePolicy.DEFAULT.withReservedBits(
            context.strictReservedBits() ? ReservedBits.CHECKED : ReservedBits.IGNORED);

        final CountingExecution deviceExecution = new CountingExecution(new SmmuCaches(CACHE_CAPACITY, CACHE_CAPACITY, CACHE_CAPACITY));
        deviceSmmu = PhysicalSmmu.builder(deviceExecution).mainCmdqLog2Size(LOG2_SIZE).policy(policy).build().startInline();
        resources.add(deviceSmmu);
        final Cmdqv cmdqv = deviceSmmu.cmdqv();
        cmdqv.writeConfig(CmdqvLayout.ENABLE);
        cmdqv.writeVintfConfig(0, CmdqvLayout.vintfConfig(0, true, true));
        cmdqv.writeVintfConfig(1, CmdqvLayout.vintfConfig(GUEST_VMID, false, true));
        for (int i = 0; i < context.ownedCount(); i++)
        {
            cmdqv.programSidSlot(1, i, context.ownedVsid(i), PSID_BASE + i);
        }
        main = feed(new DeviceQueueFeed("main CMDQ", deviceSmmu, deviceSmmu.mainCmdqMemory(),
            deviceSmmu.mainCmdqRegisters(), deviceExecution, timeoutNs));
        hostVcmdq = feed(new DeviceQueueFeed("host VCMDQ", deviceSmmu, ram.ring(HOST_VCMDQ_GPA, LOG2_SIZE),
            enable(cmdqv, ram, 0, HOST_VCMDQ_GPA).registers(), deviceExecution, timeoutNs));
        guestVcmdq = feed(new DeviceQueueFeed("guest VCMDQ", deviceSmmu, ram.ring(GUEST_VCMDQ_GPA, LOG2_SIZE),
            enable(cmdqv, ram, 1, GUEST_VCMDQ_GPA).registers(), deviceExecution, timeoutNs));

        final CountingExecution hostExecution = new CountingExecution(new SmmuCaches(CACHE_CAPACITY, CACHE_CAPACITY, CACHE_CAPACITY));
        // The host SMMU checks no RES0 bits whatever the strict flag: strict mode is about the fuzzed device
        // queues, and the oracle's FORWARD_SKIPPED applies the non-strict main-CMDQ rules.
        hostSmmu = PhysicalSmmu.builder(hostExecution).policy(HardwarePolicy.DEFAULT.withReservedBits(ReservedBits.IGNORED))
            .build().startInline();
        resources.add(hostSmmu);
        hostGerror = new MainCmdqGerrorHandler(hostSmmu);
        hostSmmu.gerrorListener(hostGerror);
        final HostCmdq hostCmdq = HostCmdq.open(0, HostCmdqStrategy.LINUX_LOCKFREE, hostSmmu.mainCmdqMemory(),
            hostSmmu.mainCmdqRegisters(), CompletionWait.WRITE_BACK,
            new WaitPolicy(timeoutNs, () -> new InlineEngineIdleStrategy(hostSmmu), SystemNanoClock.INSTANCE));
        resources.add(0, hostCmdq);
        final Iommufd iommufd = new Iommufd(VmidPolicy.S2_DOMAIN, CmdqvLayout.SID_SLOTS, hostCmdq);
        resources.add(0, iommufd);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
        final Vsmmu vsmmu = new Vsmmu(VsmmuConfig.of("fuzz", TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.PER_COMMAND),
            ram, iommufd, new BackendSteInstaller(iommufd), new BusyWaitCostMeter(ModelledCosts.NONE), counters);
        for (int i = 0; i < context.ownedCount(); i++)
        {
            vsmmu.attach(iommufd.bindDevice(0, PSID_BASE + i), context.ownedVsid(i));
        }
        trapped = new TrappedQueueFeed(vsmmu, ram, TRAPPED_GPA, LOG2_SIZE, hostExecution, hostGerror);
    }

    /** Maps LVCMDQ 0 of {@code vintf} over {@code gpa} as the host does, enables it, waits for CMDQ_EN_OK. */
    private Vcmdq enable(final Cmdqv cmdqv, final GuestMemory ram, final int vintf, final long gpa)
    {
        final int q = cmdqv.globalIndex(vintf, 0);
        cmdqv.writeCmdqAlloc(q, CmdqvLayout.cmdqAlloc(vintf, 0, true));
        final Vcmdq vcmdq = cmdqv.vcmdq(q);
        vcmdq.attachMemory(ram);
        vcmdq.writeBase(VcmdqLayout.base(gpa, LOG2_SIZE));
        vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
        for (int i = 0; i < DeviceQueueFeed.MAX_DUTY_CYCLES && !vcmdq.isEnabled(); i++)
        {
            deviceSmmu.dutyCycle();
        }
        if (!vcmdq.isEnabled())
        {
            throw new IllegalStateException(vcmdq + " did not report CMDQ_EN_OK");
        }
        return vcmdq;
    }

    private DeviceQueueFeed feed(final DeviceQueueFeed feed)
    {
        resources.add(0, feed);
        return feed;
    }

    @Override
    public int submit(final FuzzQueueKind kind, final long dword0, final long dword1)
    {
        return kind == FuzzQueueKind.TRAPPED_CMDQ ? trapped.submit(dword0, dword1) : device(kind).submit(dword0, dword1);
    }

    @Override
    public boolean repairAndAcknowledge(final FuzzQueueKind kind)
    {
        return kind == FuzzQueueKind.TRAPPED_CMDQ ? trapped.repairAndAcknowledge() : device(kind).repairAndAcknowledge();
    }

    @Override
    public long executed(final FuzzQueueKind kind)
    {
        return kind == FuzzQueueKind.TRAPPED_CMDQ ? trapped.executed() : device(kind).executed();
    }

    /**
     * @return exceptions the two SMMUs' engines caught (an exception that escaped a queue's consumer).
     */
    public long engineErrors()
    {
        return deviceSmmu.engineErrors() + hostSmmu.engineErrors();
    }

    /**
     * @return CMDQ_ERRs of the host's main CMDQ its GERROR handler serviced (forwarded guest commands the
     *         main CMDQ refused; see {@link MainCmdqGerrorHandler}).
     */
    public long hostMainCmdqRepairs()
    {
        return hostGerror.repaired();
    }

    /**
     * @return the last of them, or null.
     */
    public Throwable lastEngineError()
    {
        final Throwable device = deviceSmmu.lastEngineError();
        return device != null ? device : hostSmmu.lastEngineError();
    }

    /**
     * @return the device SMMU's policy lines, for the report.
     */
    public List<String> describe()
    {
        return deviceSmmu.describe();
    }

    private DeviceQueueFeed device(final FuzzQueueKind kind)
    {
        switch (kind)
        {
            case MAIN_CMDQ:
                return main;
            case HOST_VCMDQ:
                return hostVcmdq;
            default:
                return guestVcmdq;
        }
    }

    @Override
    public void close()
    {
        for (final AutoCloseable resource : resources)
        {
            try
            {
                resource.close();
            }
            catch (final Exception ignored)
            {
                // closing is best effort; nothing of the run depends on it
            }
        }
    }
}
