package dev.cmdq.vcmdq.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViommuTest
{
    private final SidTable sids = new SidTable(8);
    private final VmidAllocator smmu0Vmids = new VmidAllocator(16);
    private final VmidAllocator smmu1Vmids = new VmidAllocator(16);

    @Test
    void s2DomainPolicyCopiesTheDomainVmidAndRequiresTheSameSmmu()
    {
        final NestParentDomain s2 = new NestParentDomain(1, 0, smmu0Vmids.allocate());
        final Viommu a = Viommu.allocate(10, ViommuType.ARM_SMMUV3, 0, s2, VmidPolicy.S2_DOMAIN, smmu0Vmids, sids, 0);
        final Viommu b = Viommu.allocate(11, ViommuType.ARM_SMMUV3, 0, s2, VmidPolicy.S2_DOMAIN, smmu0Vmids, sids, 0);
        assertEquals(s2.vmid(), a.vmid());
        assertEquals(s2.vmid(), b.vmid(), "vIOMMUs on one SMMU sharing an S2 parent share its VMID");
        assertEquals(2, s2.viommus());
        final IommufdException e = assertThrows(IommufdException.class,
            () -> Viommu.allocate(12, ViommuType.ARM_SMMUV3, 1, s2, VmidPolicy.S2_DOMAIN, smmu1Vmids, sids, 0));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(2, s2.viommus(), "a refused allocation takes no reference");
        a.destroy();
        b.destroy();
        assertTrue(smmu0Vmids.isAllocated(s2.vmid()), "the domain's VMID outlives its vIOMMUs");
        assertEquals(0, s2.viommus());
    }

    @Test
    void perViommuPolicyAllocatesOnTheVirtualSmmusSpaceAndFreesOnDestroy()
    {
        final NestParentDomain s2 = new NestParentDomain(1, 0, smmu0Vmids.allocate());
        final Viommu a = Viommu.allocate(10, ViommuType.TEGRA241_CMDQV, 0, s2, VmidPolicy.PER_VIOMMU, smmu0Vmids, sids, 16);
        final Viommu b = Viommu.allocate(11, ViommuType.TEGRA241_CMDQV, 1, s2, VmidPolicy.PER_VIOMMU, smmu1Vmids, sids, 16);
        assertNotEquals(s2.vmid(), a.vmid());
        assertEquals(2, a.vmid(), "lowest free VMID after the domain's 1");
        assertEquals(1, b.vmid(), "the other SMMU has its own VMID space");
        assertTrue(smmu0Vmids.isAllocated(a.vmid()));
        a.destroy();
        assertFalse(smmu0Vmids.isAllocated(a.vmid()));
        assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, a::destroy).errno());
        b.destroy();
    }

    @Test
    void vdevicesTranslatePerViommuAndTakenVirtIdIsTyped()
    {
        final NestParentDomain s2 = new NestParentDomain(1, 0, smmu0Vmids.allocate());
        final Viommu a = Viommu.allocate(10, ViommuType.ARM_SMMUV3, 0, s2, VmidPolicy.PER_VIOMMU, smmu0Vmids, sids, 0);
        final Viommu b = Viommu.allocate(11, ViommuType.ARM_SMMUV3, 0, s2, VmidPolicy.PER_VIOMMU, smmu0Vmids, sids, 0);
        final Vdevice da = a.addVdevice(20, new HostDevice(100, 0, 0x300), 0x8);
        b.addVdevice(21, new HostDevice(101, 0, 0x400), 0x8);
        assertEquals(0x300, a.translateSid(0x8));
        assertEquals(0x400, b.translateSid(0x8));
        final IommufdException taken = assertThrows(IommufdException.class,
            () -> a.addVdevice(22, new HostDevice(102, 0, 0x500), 0x8));
        assertEquals(Errno.EEXIST, taken.errno());
        assertTrue(taken.getMessage().contains("virt_id=0x8"), taken.getMessage());
        assertEquals(0x300, a.translateSid(0x8));
        assertEquals(Errno.EINVAL, assertThrows(IommufdException.class,
            () -> a.addVdevice(23, new HostDevice(103, 1, 0x600), 0x9)).errno(), "device behind another SMMU");

        final IommufdException busy = assertThrows(IommufdException.class, a::destroy);
        assertEquals(Errno.EBUSY, busy.errno());
        a.removeVdevice(da);
        assertEquals(SidTable.NO_ENTRY, a.translateSid(0x8));
        assertEquals(0x400, b.translateSid(0x8));
        assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> a.removeVdevice(da)).errno());
        a.retainChild();
        assertEquals(Errno.EBUSY, assertThrows(IommufdException.class, a::destroy).errno(), "a HW queue or vEVENTQ is a child too");
        a.releaseChild();
        a.destroy();
    }

    @Test
    void cmdqvViommuLimitsVsidWidthAndSidSlots()
    {
        final NestParentDomain s2 = new NestParentDomain(1, 0, smmu0Vmids.allocate());
        final Viommu v = Viommu.allocate(10, ViommuType.TEGRA241_CMDQV, 0, s2, VmidPolicy.S2_DOMAIN, smmu0Vmids, sids, 2);
        final IommufdException wide = assertThrows(IommufdException.class,
            () -> v.addVdevice(20, new HostDevice(100, 0, 1), 1L << 20));
        assertEquals(Errno.EINVAL, wide.errno());
        assertTrue(wide.getMessage().contains("0x100000"), wide.getMessage());
        v.addVdevice(20, new HostDevice(100, 0, 1), 0xF_FFFF);
        v.addVdevice(21, new HostDevice(101, 0, 2), 0);
        assertEquals(Errno.ENOSPC, assertThrows(IommufdException.class,
            () -> v.addVdevice(22, new HostDevice(102, 0, 3), 5)).errno());
        assertEquals(2, v.vdevices().size());
    }

    @Test
    void vmidAllocatorIsLowestFreeAndBounded()
    {
        final VmidAllocator small = new VmidAllocator(8);
        for (int expected = 1; expected < 256; expected++)
        {
            assertEquals(expected, small.allocate());
        }
        assertEquals(Errno.ENOSPC, assertThrows(IommufdException.class, small::allocate).errno());
        small.free(7);
        assertEquals(7, small.allocate());
        assertThrows(IllegalStateException.class, () -> small.free(0));
        assertThrows(IllegalArgumentException.class, () -> new VmidAllocator(12));
    }
}
