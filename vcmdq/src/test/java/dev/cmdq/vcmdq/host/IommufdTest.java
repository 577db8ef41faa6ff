package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IommufdTest
{
    private final MainCmdqRig smmu0 = new MainCmdqRig(0, HostCmdqStrategy.LINUX_LOCKFREE, CompletionWait.WRITE_BACK, WaitPolicy.DEFAULT_TIMEOUT_NS);
    private final MainCmdqRig smmu1 = new MainCmdqRig(1, HostCmdqStrategy.SPIN_LOCK, CompletionWait.CONS_POLL, WaitPolicy.DEFAULT_TIMEOUT_NS);
    private final Iommufd iommufd = new Iommufd(VmidPolicy.S2_DOMAIN, 16, smmu0.queue, smmu1.queue);
    private final UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(32 + 4 * 16));
    private final IommuHwptInvalidate header = new IommuHwptInvalidate();

    @AfterEach
    void close()
    {
        iommufd.close();
        smmu0.close();
        smmu1.close();
    }

    private int invalidate(final int viommuId, final int count)
    {
        header.wrap(bytes, 0);
        header.hwptId(viommuId).dataType(1).entryLen(16).entryNum(count).reserved(0);
        return iommufd.invalidate(header, bytes, 32);
    }

    private void entry(final int i, final long dw0, final long dw1)
    {
        bytes.putLong(32 + i * 16, dw0, ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(32 + i * 16 + 8, dw1, ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void viommusOnTwoSmmusTranslateTheSameVsidToTheirOwnDevicesOnTheirOwnQueues()
    {
        final int dev0 = iommufd.bindDevice(0, 0x100);
        final int dev1 = iommufd.bindDevice(1, 0x200);
        final int s2a = iommufd.allocNestParent(dev0);
        final int s2b = iommufd.allocNestParent(dev1);
        final int va = iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev0, s2a);
        final int vb = iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev1, s2b);
        iommufd.allocVdevice(va, dev0, 0x8);
        iommufd.allocVdevice(vb, dev1, 0x8);
        final int vmidA = iommufd.viommu(va).vmid();
        final int vmidB = iommufd.viommu(vb).vmid();

        entry(0, 0x40 | (0x8L << 32), 0);
        entry(1, 0x11 | (0x99L << 32) | (0x7L << 48), 0);
        assertEquals(0, invalidate(vb, 2));
        assertEquals(2, header.entryNum());
        assertEquals(0, smmu0.recorded, "nothing reaches the other SMMU");
        assertEquals(3, smmu1.recorded);
        assertEquals(0x40 | (0x200L << 32), smmu1.dw0[0]);
        assertEquals(0x11 | ((long)vmidB << 32) | (0x7L << 48), smmu1.dw0[1]);
        assertEquals(0x46, smmu1.opcode(2));

        assertEquals(0, invalidate(va, 2));
        assertEquals(0x40 | (0x100L << 32), smmu0.dw0[0]);
        assertEquals(0x11 | ((long)vmidA << 32) | (0x7L << 48), smmu0.dw0[1]);
    }

    @Test
    void invalidateReportsErrnoAndHandledCountInTheHeader()
    {
        final int dev = iommufd.bindDevice(0, 0x100);
        final int s2 = iommufd.allocNestParent(dev);
        final int v = iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
        entry(0, 0x12, 0);
        entry(1, 0x12, 0);
        entry(2, 0x46, 0); // CMD_SYNC is not accepted
        assertEquals(-5, invalidate(v, 3));
        assertEquals(2, header.entryNum());
        assertEquals(-2, invalidate(dev, 1), "a device ID is no vIOMMU: ENOENT");
        assertEquals(0, header.entryNum());
        header.wrap(bytes, 0);
        header.hwptId(v).dataType(1).entryLen(16).entryNum(1).reserved(1);
        assertEquals(-95, iommufd.invalidate(header, bytes, 32), "non-zero __reserved: EOPNOTSUPP");
        header.reserved(0).entryLen(0).entryNum(1);
        assertEquals(-22, iommufd.invalidate(header, bytes, 32), "entry_len 0 with entries: EINVAL");
    }

    @Test
    void lifetimesAndChecks()
    {
        final int dev0 = iommufd.bindDevice(0, 0x100);
        final int dev1 = iommufd.bindDevice(1, 0x200);
        final int s2 = iommufd.allocNestParent(dev0);
        assertEquals(Errno.EINVAL, assertThrows(IommufdException.class,
            () -> iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev1, s2)).errno(), "S2 parent of another SMMU (mainline)");
        final int v = iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev0, s2);
        assertEquals(Errno.EINVAL, assertThrows(IommufdException.class, () -> iommufd.allocVdevice(v, dev1, 1)).errno());
        assertEquals(Errno.EINVAL, assertThrows(IommufdException.class, () -> iommufd.allocVdevice(v, dev0, 1L << 20)).errno());
        final int vd = iommufd.allocVdevice(v, dev0, 1);
        assertEquals(Errno.EEXIST, assertThrows(IommufdException.class, () -> iommufd.allocVdevice(v, dev0, 2)).errno(),
            "one vDEVICE per device");
        assertEquals(Errno.EBUSY, assertThrows(IommufdException.class, () -> iommufd.destroy(v)).errno());
        assertEquals(Errno.EBUSY, assertThrows(IommufdException.class, () -> iommufd.destroy(s2)).errno());
        assertEquals(Errno.EBUSY, assertThrows(IommufdException.class, () -> iommufd.destroy(dev0)).errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(IommufdException.class,
            () -> iommufd.allocHwQueue(v, 1, 0, 0x8000_0000L, 4096)).errno());
        iommufd.destroy(vd);
        iommufd.destroy(v);
        assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> iommufd.destroy(v)).errno());
        final int vmid = iommufd.viommu(iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev0, s2)).vmid();
        assertNotEquals(0, vmid);
        assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> iommufd.allocNestParent(12345)).errno());
    }

    @Test
    void aVmidIsReusedOnlyAfterAVmidWideInvalidation()
    {
        final Iommufd perViommu = new Iommufd(VmidPolicy.PER_VIOMMU, 16, smmu0.queue, smmu1.queue);
        final int dev = perViommu.bindDevice(1, 0x200);
        final int s2 = perViommu.allocNestParent(dev);
        final int v = perViommu.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
        final int vmid = perViommu.viommu(v).vmid();
        perViommu.destroy(v);
        // TLBI_S12_VMALL: opcode 0x28, VMID at dword 0 bits 47:32; then the CMD_SYNC.
        assertEquals(2, smmu1.recorded);
        assertEquals(0x28 | ((long)vmid << 32), smmu1.dw0[0]);
        assertEquals(0, smmu1.dw1[0]);
        assertEquals(0x46, smmu1.opcode(1));
        assertEquals(false, perViommu.vmids(1).isAllocated(vmid));

        final int v2 = perViommu.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
        final int vmid2 = perViommu.viommu(v2).vmid();
        assertEquals(vmid, vmid2, "lowest free: the invalidated VMID is reused");
        smmu1.queue.close();
        final IommufdException e = assertThrows(IommufdException.class, () -> perViommu.destroy(v2));
        assertEquals(Errno.EIO, e.errno());
        assertEquals(true, perViommu.vmids(1).isAllocated(vmid2), "a VMID that could not be invalidated stays allocated");
        assertEquals(false, perViommu.viommu(v2).isDestroyed(), "a failed destroy leaves the vIOMMU whole");
    }

    @Test
    void aSyncThatTimesOutFailsTheIoctlWithEtimedoutAndCountsNothingUnexecuted()
    {
        try (MainCmdqRig stalled = new MainCmdqRig(0, HostCmdqStrategy.SPIN_LOCK, CompletionWait.CONS_POLL, 20_000_000L);
             Iommufd host = new Iommufd(VmidPolicy.S2_DOMAIN, 16, stalled.queue))
        {
            final int dev = host.bindDevice(0, 0x100);
            final int v = host.allocViommu(ViommuType.ARM_SMMUV3, dev, host.allocNestParent(dev));
            stalled.idle.consumer(null);
            entry(0, 0x12, 0);
            header.wrap(bytes, 0);
            header.hwptId(v).dataType(1).entryLen(16).entryNum(1).reserved(0);
            assertEquals(-Errno.ETIMEDOUT.value(), host.invalidate(header, bytes, 32), "the submission's own error");
            assertEquals(0, header.entryNum(), "an entry whose sync never completed is not counted as handled");
        }
    }

    @Test
    void warmInvalidateThroughTheHeaderAllocatesNothing()
    {
        smmu0.record = false;
        final int dev = iommufd.bindDevice(0, 0x100);
        final int v = iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev, iommufd.allocNestParent(dev));
        iommufd.allocVdevice(v, dev, 0x8);
        entry(0, 0x40 | (0x8L << 32), 0);
        entry(1, 0x12, 0);
        entry(2, 0x30, 0);
        entry(3, 0x05 | (0x8L << 32), 0);
        final int[] failures = new int[1];
        final Runnable loop = () ->
        {
            for (int call = 0; call < 2_000; call++)
            {
                if (invalidate(v, 1 + (call & 3)) != 0)
                {
                    failures[0]++;
                }
            }
        };
        long bytes = -1;
        for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
        {
            bytes = AllocationProbe.bytesOnceWarm(loop, 100, 3);
        }
        assertEquals(0, bytes);
        assertEquals(0, failures[0]);
    }
}
