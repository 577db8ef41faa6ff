package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.IommufdException;
import dev.cmdq.vcmdq.host.ViommuType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The emulated CMDQV's trapped registers over the real host and hardware models: reset values and
 * PARAM (typed from vcmdq-viommu.md §1.3 and QEMU), HYP_OWN wired to 0, the cached-only SID table, the
 * read-only registers, QEMU's allocation trigger in every order of its four preconditions, the replay
 * of cached page-0 writes, a refused allocation as CMDQ_INIT_ERR, the host's ascending/descending rule,
 * forwarding through the global page-0 window, the refusals to map, and teardown.
 */
class CmdqvRegionTest
{
    private CmdqvRig rig = new CmdqvRig().mapCmdqv(8);

    @AfterEach
    void close()
    {
        rig.close();
    }

    private long ignored()
    {
        return rig.vsmmu.counters().ignoredAccesses().get();
    }

    /** Global VCMDQ q of the guest's logical VCMDQ l: VINTF 1 holds global queues 2 and 3. */
    private boolean hwAllocated(final int lidx)
    {
        return (rig.smmu.cmdqv().cmdqAlloc(2 + lidx) & 1) != 0;
    }

    @Test
    void resetValuesAndParamAreQemus()
    {
        // PARAM: VER 1 (bits 3:0), log2 VCMDQs 1 (7:4), log2 VINTFs 0 (11:8), log2 SID slots 4 (15:12).
        assertEquals(1 | (1 << 4) | (4 << 12), rig.read(CmdqvAperture.PARAM));
        assertEquals(0x0002_0403, rig.read(CmdqvAperture.CONFIG), "QEMU's V_CONFIG_RESET, CMDQV_EN set");
        assertEquals(1, rig.read(CmdqvAperture.STATUS));
        for (final int offset : new int[] {0x014, 0x018, 0x01C, 0x020, 0x024, 0x028, 0x02C, 0x030, 0x200, 0x204,
            0x1000, 0x1004, 0x10C0, 0x10C4, 0x10C8, 0x10CC})
        {
            assertEquals(0, rig.read(offset), "offset 0x" + Integer.toHexString(offset));
        }
        final long before = ignored();
        rig.write(CmdqvAperture.PARAM, 0);
        rig.write(CmdqvAperture.STATUS, 0);
        assertEquals(1 | (1 << 4) | (4 << 12), rig.read(CmdqvAperture.PARAM), "read-only");
        assertEquals(1, rig.read(CmdqvAperture.STATUS), "read-only");
        assertEquals(before + 2, ignored());
    }

    @Test
    void cmdqvEnableIsMirroredInStatus()
    {
        rig.write(CmdqvAperture.CONFIG, 0x0002_0402);
        assertEquals(0, rig.read(CmdqvAperture.STATUS));
        assertEquals(0x0002_0402, rig.read(CmdqvAperture.CONFIG));
        rig.write(CmdqvAperture.CONFIG, 0x0002_0403);
        assertEquals(1, rig.read(CmdqvAperture.STATUS));
    }

    @Test
    void hypOwnReadsZeroWhateverTheGuestWrites()
    {
        final int hypOwn = 1 << 17;
        final int vmid = 0x5 << 1;
        rig.write(CmdqvAperture.VINTF0_CONFIG, hypOwn | vmid | 1);
        assertEquals(vmid | 1, rig.read(CmdqvAperture.VINTF0_CONFIG));
        assertEquals(1, rig.read(CmdqvAperture.VINTF0_STATUS), "ENABLE_OK");
        rig.write(CmdqvAperture.VINTF0_CONFIG, hypOwn);
        assertEquals(0, rig.read(CmdqvAperture.VINTF0_CONFIG));
        assertEquals(0, rig.read(CmdqvAperture.VINTF0_STATUS));
        // The real VINTF keeps the host's programming: HYP_OWN 0, the vIOMMU's VMID, enabled.
        assertEquals((rig.hostVmid() << 1) | 1, rig.smmu.cmdqv().vintfConfig(1));
    }

    @Test
    void sidMatchAndReplaceWritesAreCachedOnly()
    {
        for (int s = 0; s < 16; s++)
        {
            rig.write(0x1040 + 4 * s, (0x100 + s) << 1 | 1);
            rig.write(0x1080 + 4 * s, 0x9000 + s);
        }
        for (int s = 0; s < 16; s++)
        {
            assertEquals((0x100 + s) << 1 | 1, rig.read(0x1040 + 4 * s), "SID_MATCH[" + s + "]");
            assertEquals(0x9000 + s, rig.read(0x1080 + 4 * s), "SID_REPLACE[" + s + "]");
        }
        // The host's table is the vDEVICE's: slot 0 = the attached device, nothing else.
        assertEquals((int)(CmdqvRig.VSID << 1) | 1, rig.smmu.cmdqv().sidMatch(1, 0));
        assertEquals((int)CmdqvRig.PSID, rig.smmu.cmdqv().sidReplace(1, 0));
        for (int s = 1; s < 16; s++)
        {
            assertEquals(0, rig.smmu.cmdqv().sidMatch(1, s), "host slot " + s);
        }
    }

    @Test
    void interruptMaskIsReadWriteAndErrorMapsAreReadOnly()
    {
        rig.write(CmdqvAperture.VI_INT_MASK, 1);
        rig.write(CmdqvAperture.VI_INT_MASK + 4, 0x8000_0000);
        assertEquals(1, rig.read(CmdqvAperture.VI_INT_MASK));
        assertEquals(0x8000_0000, rig.read(CmdqvAperture.VI_INT_MASK + 4));
        final long before = ignored();
        rig.write(CmdqvAperture.VI_ERR_MAP, 1);
        rig.write(CmdqvAperture.CMDQ_ERR_MAP, 1);
        rig.write(CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP, 1);
        rig.write(CmdqvAperture.VINTF0_STATUS, 1);
        assertEquals(0, rig.read(CmdqvAperture.VI_ERR_MAP));
        assertEquals(0, rig.read(CmdqvAperture.CMDQ_ERR_MAP));
        assertEquals(0, rig.read(CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP));
        assertEquals(0, rig.read(CmdqvAperture.VINTF0_STATUS));
        assertEquals(before + 4, ignored());
    }

    @Test
    void unimplementedOffsetsAndWidthsReadZeroAndAreCounted()
    {
        final long before = ignored();
        assertEquals(0, rig.read(0x00C));
        assertEquals(0, rig.read(CmdqvRig.page0(2, 0)), "only two logical VCMDQs");
        assertEquals(0, rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + 1, 4), "misaligned");
        assertEquals(0, rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE, 2), "width 2");
        rig.write64(CmdqvAperture.VI_INT_MASK, 1);
        assertEquals(0, rig.read(CmdqvAperture.VI_INT_MASK), "8-byte writes only reach page 1");
        assertEquals(before + 5, ignored());
    }

    @Test
    void eightByteReadsReturnTwoConsecutiveRegisters()
    {
        rig.write(CmdqvAperture.VI_INT_MASK, 0x1234);
        rig.write(CmdqvAperture.VI_INT_MASK + 4, 0x8765);
        assertEquals(0x8765_0000_1234L, rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.VI_INT_MASK, 8));
    }

    /** The four preconditions of QEMU's allocation, each a guest write. */
    enum Step
    {
        CMDQV_EN, VINTF_EN, ALLOC, BASE
    }

    static Stream<List<Step>> orders()
    {
        final List<List<Step>> all = new ArrayList<>();
        permute(new ArrayList<>(), all);
        return all.stream();
    }

    private static void permute(final List<Step> prefix, final List<List<Step>> out)
    {
        if (prefix.size() == Step.values().length)
        {
            out.add(List.copyOf(prefix));
            return;
        }
        for (final Step s : Step.values())
        {
            if (!prefix.contains(s))
            {
                prefix.add(s);
                permute(prefix, out);
                prefix.remove(prefix.size() - 1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("orders")
    void theHwQueueIsAllocatedExactlyWhenTheLastPreconditionIsWritten(final List<Step> order)
    {
        rig.write(CmdqvAperture.CONFIG, 0x0002_0402);  // the Linux guest starts with CMDQV off
        for (int i = 0; i < order.size(); i++)
        {
            assertFalse(rig.region.vintfPage0().isMapped(0), "before step " + i + " of " + order);
            assertFalse(hwAllocated(0));
            switch (order.get(i))
            {
                case CMDQV_EN: rig.write(CmdqvAperture.CONFIG, 0x0002_0403); break;
                case VINTF_EN: rig.write(CmdqvAperture.VINTF0_CONFIG, 1); break;
                case ALLOC: rig.write(CmdqvAperture.CMDQ_ALLOC_MAP, 1); break;
                default: rig.write64(CmdqvRig.vintfPage1(0, CmdqvAperture.BASE_L), CmdqvRig.base(0)); break;
            }
        }
        assertTrue(rig.region.vintfPage0().isMapped(0), "after " + order);
        assertTrue(hwAllocated(0));
        assertEquals(CmdqvRig.RING_GPA[0] | CmdqvRig.LOG2, rig.smmu.cmdqv().vcmdq(2).base(),
            "BASE = the guest's ring GPA | log2(4096 / 16)");
        assertEquals(1, rig.region.counters().hwQueueAllocs().get());
        assertFalse(rig.region.vintfPage0().isMapped(1));
    }

    @Test
    void baseWrittenAsTwoHalvesThroughTheGlobalPage1()
    {
        rig.write(CmdqvAperture.VINTF0_CONFIG, 1);
        rig.write(CmdqvAperture.CMDQ_ALLOC_MAP, 1);
        rig.write(CmdqvAperture.VCMDQ_PAGE1 + CmdqvAperture.BASE_H, 0);
        assertFalse(rig.region.vintfPage0().isMapped(0), "BASE still zero");
        rig.write(CmdqvAperture.VCMDQ_PAGE1 + CmdqvAperture.BASE_L, (int)CmdqvRig.base(0));
        assertTrue(rig.region.vintfPage0().isMapped(0));
        assertEquals((int)CmdqvRig.base(0), rig.read(CmdqvRig.vintfPage1(0, CmdqvAperture.BASE_L)), "page 1 aliases");
        rig.write64(CmdqvAperture.VCMDQ_PAGE1 + CmdqvAperture.CONS_INDX_BASE_L, 0x1234_5678_9ABC_DEF0L);
        assertEquals(0x9ABC_DEF0, rig.read(CmdqvAperture.VCMDQ_PAGE1 + CmdqvAperture.CONS_INDX_BASE_L));
        assertEquals(0x1234_5678, rig.read(CmdqvAperture.VCMDQ_PAGE1 + CmdqvAperture.CONS_INDX_BASE_H));
    }

    @Test
    void cachedPage0WritesAreReplayedIntoTheMapping()
    {
        // Before the queue exists: the guest initialises PROD = CONS = 3, acknowledges nothing, enables.
        rig.write(CmdqvRig.page0(0, CmdqvAperture.CONS), 3);
        rig.write(CmdqvRig.page0(0, CmdqvAperture.PROD), 3);
        rig.write(CmdqvRig.page0(0, CmdqvAperture.VCMDQ_CONFIG), 1);
        assertEquals(1, rig.read(CmdqvRig.page0(0, CmdqvAperture.VCMDQ_STATUS)), "the cache reports enabled (QEMU)");
        assertEquals(3, rig.read(CmdqvRig.page0(0, CmdqvAperture.PROD)), "cached");
        assertEquals(0, rig.smmu.cmdqv().vcmdq(2).registers().getProdAcquire(), "nothing reached hardware yet");

        rig.guestAllocate(0);
        final QueueRegisters hw = rig.smmu.cmdqv().vcmdq(2).registers();
        assertEquals(3, hw.getProdAcquire(), "PROD replayed");
        assertEquals(3, hw.getConsAcquire(), "CONS replayed");
        assertEquals(1, rig.smmu.cmdqv().vcmdq(2).config(), "CONFIG replayed through writeHwQueueConfig");
        rig.run(2);
        assertEquals(1, rig.vsmmu.vintfPage0().status(0), "the hardware enabled it");

        // The queue really starts at slot 3: a TLBI_NH_ASID there executes once PROD moves past it.
        rig.put(0, 3, 0x11 | (0x7L << 48), 0);
        rig.vsmmu.vcmdqRegisters(0).putProdRelease(4);
        rig.run(2);
        assertEquals(4, hw.getConsAcquire());
        assertEquals(1, rig.count);
        assertEquals(0x11 | ((long)rig.hostVmid() << 32) | (0x7L << 48), rig.dw0[0]);
    }

    @Test
    void globalPage0IsForwardedToTheMappingOnceAllocated()
    {
        rig.guestAllocate(0);
        rig.guestAllocate(1);
        final QueueRegisters hw1 = rig.smmu.cmdqv().vcmdq(3).registers();
        rig.write(CmdqvRig.page0(1, CmdqvAperture.VCMDQ_CONFIG), 1);
        rig.run(2);
        assertEquals(1, rig.read(CmdqvRig.page0(1, CmdqvAperture.VCMDQ_STATUS)), "STATUS read from the hardware");
        assertEquals(1, rig.read(CmdqvRig.page0(1, CmdqvAperture.VCMDQ_CONFIG)));
        rig.put(1, 0, 0x46, 0);
        rig.write(CmdqvRig.page0(1, CmdqvAperture.PROD), 1);
        assertEquals(1, hw1.getProdAcquire(), "PROD written to the hardware");
        rig.run(2);
        assertEquals(1, rig.read(CmdqvRig.page0(1, CmdqvAperture.CONS)), "CONS read from the hardware");
        assertEquals(1, rig.read(CmdqvAperture.VINTF0_PAGE0 + CmdqvAperture.VCMDQ_STRIDE + CmdqvAperture.CONS),
            "a trapped access at the VINTF page 0 address is the same queue");
        assertEquals(0, rig.read(CmdqvRig.page0(0, CmdqvAperture.CONS)), "queue 0 untouched");
    }

    @Test
    void aRefusedAllocationIsCmdqInitErrAndAFixedBaseAllocates()
    {
        rig.write(CmdqvAperture.VINTF0_CONFIG, 1);
        rig.write(CmdqvAperture.CMDQ_ALLOC_MAP, 1);
        final long outside = CmdqvRig.RAM_BASE + CmdqvRig.RAM_SIZE;  // not guest RAM: the host answers EFAULT
        rig.write64(CmdqvRig.vintfPage1(0, CmdqvAperture.BASE_L), outside | CmdqvRig.LOG2);
        assertFalse(rig.region.vintfPage0().isMapped(0));
        assertEquals(1 << 2, rig.read(CmdqvRig.page0(0, CmdqvAperture.GERROR)), "CMDQ_INIT_ERR");
        rig.write(CmdqvRig.page0(0, CmdqvAperture.VCMDQ_CONFIG), 1);
        assertEquals(0, rig.read(CmdqvRig.page0(0, CmdqvAperture.VCMDQ_STATUS)), "CMDQ_EN_OK stays clear");
        assertEquals(1, rig.region.counters().hostRefusals().get());
        assertTrue(rig.region.lastRefusal().contains("nesting_parent_iova=0x" + Long.toHexString(outside)), rig.region.lastRefusal());
        assertThrows(IllegalStateException.class, () -> rig.vsmmu.vcmdqRegisters(0));

        rig.write(CmdqvRig.page0(0, CmdqvAperture.GERRORN), 1 << 2);  // the guest acknowledges the init error
        rig.write64(CmdqvRig.vintfPage1(0, CmdqvAperture.BASE_L), CmdqvRig.base(0));
        assertTrue(rig.region.vintfPage0().isMapped(0));
        final QueueRegisters hw = rig.smmu.cmdqv().vcmdq(2).registers();
        assertEquals(0, hw.getGerrorAcquire() ^ hw.getGerrornAcquire(), "no error pending on the hardware");
        rig.run(2);
        assertEquals(1, rig.vsmmu.vintfPage0().status(0), "the replayed CONFIG enabled it");
    }

    @Test
    void theHostsAscendingAndDescendingOrdersHold()
    {
        rig.write(CmdqvAperture.VINTF0_CONFIG, 1);
        rig.write(CmdqvAperture.CMDQ_ALLOC_MAP + 4, (1 << 1) | 1);
        rig.write64(CmdqvRig.vintfPage1(1, CmdqvAperture.BASE_L), CmdqvRig.base(1));
        assertFalse(rig.region.vintfPage0().isMapped(1), "lidx 1 before lidx 0: the host answers EIO");
        assertEquals(1 << 2, rig.read(CmdqvRig.page0(1, CmdqvAperture.GERROR)));
        assertTrue(rig.region.lastRefusal().contains("index=1"), rig.region.lastRefusal());

        rig.write(CmdqvAperture.CMDQ_ALLOC_MAP, 1);
        rig.write64(CmdqvRig.vintfPage1(0, CmdqvAperture.BASE_L), CmdqvRig.base(0));
        assertTrue(rig.region.vintfPage0().isMapped(0));
        rig.write64(CmdqvRig.vintfPage1(1, CmdqvAperture.BASE_L), CmdqvRig.base(1));
        assertTrue(rig.region.vintfPage0().isMapped(1), "rewriting BASE retries");
        assertEquals(0, rig.read(CmdqvRig.page0(1, CmdqvAperture.GERROR)), "init error gone (the hardware's GERROR)");

        rig.write(CmdqvAperture.CMDQ_ALLOC_MAP, 0);
        assertTrue(rig.region.vintfPage0().isMapped(0), "unmapping lidx 0 under lidx 1 is refused by the host (EBUSY)");
        assertEquals(2, rig.region.counters().hostRefusals().get());

        rig.write(CmdqvAperture.VINTF0_CONFIG, 0);  // frees 1 then 0
        assertFalse(rig.region.vintfPage0().isMapped(0));
        assertFalse(rig.region.vintfPage0().isMapped(1));
        assertFalse(hwAllocated(0));
        assertFalse(hwAllocated(1));
        assertEquals(2, rig.region.counters().hwQueueFrees().get());
        assertEquals(2, rig.region.counters().hostRefusals().get(), "no refusal: descending order");
        assertEquals(0, rig.read(CmdqvAperture.VINTF0_STATUS));
    }

    @Test
    void disablingCmdqvFreesAndReenablingReallocates()
    {
        rig.guestAllocate(0);
        rig.guestAllocate(1);
        assertEquals(2, rig.region.counters().hwQueueAllocs().get(), "repeating VINTF0 ENABLE keeps queue 0");
        rig.write(CmdqvAperture.CONFIG, 0x0002_0402);
        assertFalse(hwAllocated(0));
        assertFalse(hwAllocated(1));
        rig.write(CmdqvAperture.CONFIG, 0x0002_0403);
        assertTrue(hwAllocated(0));
        assertTrue(hwAllocated(1));
        assertEquals(4, rig.region.counters().hwQueueAllocs().get());
    }

    @Test
    void teardownFreesDescendingThenDestroysTheVeventq()
    {
        rig.guestAllocate(0);
        rig.guestAllocate(1);
        final int veventqRefusals = (int)rig.region.counters().hostRefusals().get();
        rig.vsmmu.closeCmdqv();
        assertFalse(hwAllocated(0));
        assertFalse(hwAllocated(1));
        assertEquals(veventqRefusals, rig.region.counters().hostRefusals().get());
        assertEquals(0, rig.vsmmu.pollEvents(), "no vEVENTQ any more");
        rig.write(CmdqvAperture.CONFIG, 0x0002_0403);
        assertFalse(hwAllocated(0), "inert after close");
    }

    @Test
    void aFannedOutVsmmuIsRefusedACmdqv()
    {
        rig.close();
        rig = new CmdqvRig(TopologyKind.FANNED_OUT, ViommuType.TEGRA241_CMDQV);
        rig.vsmmu.attach(rig.dev, CmdqvRig.VSID);
        final VcmdqRefusedException e = assertThrows(VcmdqRefusedException.class,
            () -> rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE, () -> { }, 8));
        assertTrue(e.getMessage().contains("fanned out"), e.getMessage());
        assertEquals(0, rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.PARAM, 4), "nothing mapped");
    }

    @Test
    void aVsmmuWithoutDeviceOrWithArmVIommusIsRefusedACmdqv()
    {
        assertTrue(assertThrows(VcmdqRefusedException.class, () -> rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE + 0x10_0000, () -> { }, 8))
            .getMessage().contains("already mapped"));
        rig.close();
        rig = new CmdqvRig(TopologyKind.PER_PHYSICAL_SMMU, ViommuType.TEGRA241_CMDQV);
        assertTrue(assertThrows(VcmdqRefusedException.class, () -> rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE, () -> { }, 8))
            .getMessage().contains("no device"));
        rig.close();
        rig = new CmdqvRig(TopologyKind.PER_PHYSICAL_SMMU, ViommuType.ARM_SMMUV3);
        rig.vsmmu.attach(rig.dev, CmdqvRig.VSID);
        assertTrue(assertThrows(VcmdqRefusedException.class, () -> rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE, () -> { }, 8))
            .getMessage().contains("ARM_SMMUV3, not TEGRA241_CMDQV"));
    }

    @Test
    void aRefusedVeventqLeavesNothingMapped()
    {
        rig.close();
        rig = new CmdqvRig(TopologyKind.PER_PHYSICAL_SMMU, ViommuType.TEGRA241_CMDQV);
        rig.vsmmu.attach(rig.dev, CmdqvRig.VSID);
        final IommufdException e = assertThrows(IommufdException.class, () -> rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE, () -> { }, 0));
        assertTrue(e.getMessage().contains("veventq_depth=0"), e.getMessage());
        assertEquals(null, rig.vsmmu.cmdqv());
        rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE, () -> { }, 4);
    }

    @Test
    void anOverlappingApertureIsRefusedBeforeTheHostIsAsked()
    {
        rig.close();
        rig = new CmdqvRig(TopologyKind.PER_PHYSICAL_SMMU, ViommuType.TEGRA241_CMDQV);
        rig.vsmmu.attach(rig.dev, CmdqvRig.VSID);
        rig.vsmmu.mapRegion(CmdqvRig.CMDQV_BASE + 0x4_0000, 0x1000, new CmdqvRegionTest.NoRegion());
        assertEquals("base=0x100000 length=0x50000 overlaps the region at 0x140000", assertThrows(IllegalArgumentException.class,
            () -> rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE, () -> { }, 8)).getMessage());
        // No vEVENTQ was left behind: the host would refuse a second one for the vIOMMU (EEXIST).
        rig.vsmmu.mapCmdqv(CmdqvRig.CMDQV_BASE + 0x10_0000, () -> { }, 8);
    }

    /** A region that implements nothing. */
    static final class NoRegion implements MmioRegion
    {
        @Override
        public long read(final int offset, final int width)
        {
            return 0;
        }

        @Override
        public void write(final int offset, final long value, final int width)
        {
        }
    }
}
