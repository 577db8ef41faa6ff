package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.VmidPolicy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A VM with one vSMMU over the real host model: guest RAM, an {@link Iommufd} over two recording main
 * CMDQs (physical SMMUs 0 and 1), and helpers that act as the guest driver through the vSMMU's MMIO. The
 * guest CMDQ has 2^{@value #LOG2} entries at {@link #RING_GPA}.
 */
final class VmmRig implements AutoCloseable
{
    static final long RAM_BASE = 0x4000_0000L;
    static final int RAM_SIZE = 1 << 20;
    static final long RING_GPA = RAM_BASE + 0x1_0000L;
    static final int LOG2 = 8;
    /** The host's first VMID on each SMMU ("lowest free from 1", host package doc). */
    static final long HOST_VMID = 1;

    final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final RecordingMainCmdq smmu0 = new RecordingMainCmdq(0);
    final RecordingMainCmdq smmu1 = new RecordingMainCmdq(1);
    final Iommufd iommufd = new Iommufd(VmidPolicy.S2_DOMAIN, 16, smmu0.queue, smmu1.queue);
    final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
    final CostMeter meter;
    final Vsmmu vsmmu;

    VmmRig(final TopologyKind topology, final ForwardingPolicy forwarding)
    {
        this(VsmmuConfig.of("vsmmu0", topology, forwarding));
    }

    VmmRig(final VsmmuConfig config)
    {
        this(config, new BusyWaitCostMeter(ModelledCosts.NONE));
    }

    VmmRig(final VsmmuConfig config, final CostMeter meter)
    {
        this.meter = meter;
        vsmmu = new Vsmmu(config, memory, iommufd, new BackendSteInstaller(iommufd),
            meter, countersManager);
    }

    /** Binds a device behind {@code smmu} with physical SID {@code psid} and attaches it as {@code vsid}. */
    int attach(final int smmu, final long psid, final long vsid)
    {
        return vsmmu.attach(iommufd.bindDevice(smmu, psid), vsid);
    }

    /** The guest's probe: CMDQ_BASE (RA, address, LOG2SIZE), PROD = CONS = 0, CR0.CMDQEN. */
    void enable()
    {
        vsmmu.mmioWrite(SmmuPage0.CMDQ_BASE, SmmuPage0.BASE_RA | RING_GPA | LOG2, 8);
        vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, 0, 4);
        vsmmu.mmioWrite(SmmuPage0.CMDQ_CONS, 0, 4);
        vsmmu.mmioWrite(SmmuPage0.CR0, SmmuPage0.CR0_CMDQEN, 4);
    }

    /** Writes a raw command into slot {@code slot} of the guest ring (guest memory, little-endian). */
    void put(final int slot, final long dw0, final long dw1)
    {
        final int offset = (int)(RING_GPA - RAM_BASE) + slot * 16;
        memory.buffer().putLong(offset, dw0, ByteOrder.LITTLE_ENDIAN);
        memory.buffer().putLong(offset + 8, dw1, ByteOrder.LITTLE_ENDIAN);
    }

    void prod(final int value)
    {
        vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, value & 0xFFFF_FFFFL, 4);
    }

    int read(final int register)
    {
        return (int)vsmmu.mmioRead(register, 4);
    }

    void write(final int register, final int value)
    {
        vsmmu.mmioWrite(register, value & 0xFFFF_FFFFL, 4);
    }

    int cons()
    {
        return read(SmmuPage0.CMDQ_CONS);
    }

    /** The guest's acknowledge: GERRORN := GERROR. */
    void acknowledge()
    {
        write(SmmuPage0.GERRORN, read(SmmuPage0.GERROR));
    }

    static void assertWords(final RecordingMainCmdq rig, final int i, final long dw0, final long dw1)
    {
        assertEquals(Long.toHexString(dw0), Long.toHexString(rig.dw0[i]), "dword0 of host entry " + i);
        assertEquals(Long.toHexString(dw1), Long.toHexString(rig.dw1[i]), "dword1 of host entry " + i);
    }

    /** The host's own CMD_SYNC after a chunk: opcode 0x46 (its CS/MSI fields are the host's business). */
    static void assertHostSync(final RecordingMainCmdq rig, final int i)
    {
        assertEquals(0x46, rig.opcode(i), "host entry " + i + " is a CMD_SYNC");
    }

    @Override
    public void close()
    {
        smmu0.close();
        smmu1.close();
    }
}
