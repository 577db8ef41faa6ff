package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.VmidPolicy;
import dev.cmdq.vcmdq.hw.InlineEngineIdleStrategy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One VM with a per-physical-SMMU vSMMU over the real host and hardware models: a {@link PhysicalSmmu}
 * with CMDQV in inline mode (every host or guest wait drives its engine on the waiting thread; tests
 * also run duty cycles explicitly), {@link Iommufd#overHardware}, a vSMMU built with TEGRA241_CMDQV
 * vIOMMUs, one device attached, the emulated CMDQV mapped at {@link #CMDQV_BASE}, and an execution that
 * records every command reaching the SMMU's caches. The PhysicalSmmu has 4 VINTFs and 8 VCMDQs (two per
 * VINTF); the guest's VINTF is VINTF 1, so its logical VCMDQs 0 and 1 are global VCMDQs 2 and 3.
 */
final class CmdqvRig implements AutoCloseable
{
    static final long RAM_BASE = 0x4000_0000L;
    static final int RAM_SIZE = 1 << 20;
    static final long CMDQV_BASE = 0x10_0000L;
    static final long PSID = 0x4321;
    static final long VSID = 0x21;
    /** Guest VCMDQ rings: 256 entries (4 KiB) each, naturally aligned. */
    static final int LOG2 = 8;
    static final long[] RING_GPA = {RAM_BASE + 0x2_0000L, RAM_BASE + 0x3_0000L};
    static final int MAX = 1 << 14;

    final long[] dw0 = new long[MAX];
    final long[] dw1 = new long[MAX];
    int count;

    final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final PhysicalSmmu smmu;
    final Iommufd iommufd;
    final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
    final BusyWaitCostMeter meter = new BusyWaitCostMeter(ModelledCosts.NONE);
    final Vsmmu vsmmu;
    final int dev;
    int pulses;
    CmdqvRegion region;

    CmdqvRig()
    {
        this(TopologyKind.PER_PHYSICAL_SMMU, ViommuType.TEGRA241_CMDQV);
    }

    /** A rig whose vSMMU is not yet given its CMDQV: {@link #mapCmdqv} does. */
    CmdqvRig(final TopologyKind topology, final ViommuType viommuType)
    {
        smmu = PhysicalSmmu.builder(this::execute).maxQueueLog2Size(12).build().startInline();
        iommufd = Iommufd.overHardware(VmidPolicy.S2_DOMAIN, HostCmdqStrategy.LINUX_LOCKFREE, CompletionWait.WRITE_BACK,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> new InlineEngineIdleStrategy(smmu), SystemNanoClock.INSTANCE),
            smmu);
        vsmmu = new Vsmmu(VsmmuConfig.of("vsmmu0", topology, ForwardingPolicy.PER_COMMAND), memory, iommufd,
            (viommu, vsid) -> true, meter, countersManager, viommuType);
        dev = iommufd.bindDevice(0, PSID);
    }

    /** Attaches the device and maps the CMDQV with a vEVENTQ of {@code depth}. */
    CmdqvRig mapCmdqv(final int depth)
    {
        vsmmu.attach(dev, VSID);
        region = vsmmu.mapCmdqv(CMDQV_BASE, () -> pulses++, depth);
        return this;
    }

    private int execute(final long d0, final long d1)
    {
        // Wraps for long warm loops; the tests that search the record stay far below MAX.
        dw0[count & (MAX - 1)] = d0;
        dw1[count & (MAX - 1)] = d1;
        count++;
        return CommandError.NONE;
    }

    /** The VMID the hardware substitutes: the vIOMMU's. */
    int hostVmid()
    {
        return iommufd.viommu(region.viommuId()).vmid();
    }

    int read(final int offset)
    {
        return (int)vsmmu.mmioRead(CMDQV_BASE + offset, 4);
    }

    void write(final int offset, final int value)
    {
        vsmmu.mmioWrite(CMDQV_BASE + offset, value & 0xFFFF_FFFFL, 4);
    }

    void write64(final int offset, final long value)
    {
        vsmmu.mmioWrite(CMDQV_BASE + offset, value, 8);
    }

    static int page0(final int lidx, final int register)
    {
        return CmdqvAperture.VCMDQ_PAGE0 + CmdqvAperture.VCMDQ_STRIDE * lidx + register;
    }

    static int vintfPage1(final int lidx, final int register)
    {
        return CmdqvAperture.VINTF0_PAGE1 + CmdqvAperture.VCMDQ_STRIDE * lidx + register;
    }

    /** BASE value the guest writes for queue {@code lidx}'s ring. */
    static long base(final int lidx)
    {
        return RING_GPA[lidx] | LOG2;
    }

    /**
     * The Linux guest's setup of logical VCMDQ {@code lidx} through the trapped pages: CMDQV off/on,
     * VINTF0 enable, CMDQ_ALLOC_MAP (VINTF 0, LVCMDQ lidx, ALLOC), BASE through VINTF page 1.
     */
    void guestAllocate(final int lidx)
    {
        write(CmdqvAperture.VINTF0_CONFIG, CmdqvAperture.ENABLE);
        write(CmdqvAperture.CMDQ_ALLOC_MAP + 4 * lidx, (lidx << 1) | CmdqvAperture.ENABLE);
        write64(vintfPage1(lidx, CmdqvAperture.BASE_L), base(lidx));
    }

    /** Then the guest enables its queue through the mapped page and polls STATUS (the engine runs inline). */
    void guestEnable(final int lidx)
    {
        vsmmu.vintfPage0().writeConfig(lidx, CmdqvAperture.ENABLE);
        for (int i = 0; i < 8 && vsmmu.vintfPage0().status(lidx) == 0; i++)
        {
            smmu.dutyCycle();
        }
    }

    /** Writes one entry into queue {@code lidx}'s ring at slot {@code slot} (guest memory, little-endian). */
    void put(final int lidx, final int slot, final long d0, final long d1)
    {
        final int at = (int)(RING_GPA[lidx] - RAM_BASE) + ((slot & ((1 << LOG2) - 1)) << 4);
        memory.buffer().putLong(at, d0, ByteOrder.LITTLE_ENDIAN);
        memory.buffer().putLong(at + 8, d1, ByteOrder.LITTLE_ENDIAN);
    }

    void run(final int dutyCycles)
    {
        for (int i = 0; i < dutyCycles; i++)
        {
            smmu.dutyCycle();
        }
    }

    long traps()
    {
        return vsmmu.counters().totals().traps().get();
    }

    @Override
    public void close()
    {
        iommufd.close();
        smmu.close();
    }
}
