package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.Errno;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.IommufdException;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both topologies over the real host model with two physical SMMUs: on-demand vIOMMUs, attach trying
 * the existing vIOMMUs first, SID routing and ASID broadcast (with its extra calls counted), the
 * VCMDQ refusal, and detach (a detached vSID behaves as one never attached — vmm package doc — and can
 * be attached again). Expected host words are typed here (pSIDs 0x100/0x101 behind SMMU 0, 0x200 behind
 * SMMU 1; each SMMU's first VMID is 1).
 */
class VsmmuTopologyTest
{
    private static final long SYNC_SEV = 0x46 | (2L << 12);

    private VmmRig rig;

    @AfterEach
    void close()
    {
        rig.close();
    }

    @Test
    void fannedOutAllocatesAViommuOnlyWhenEveryExistingOneRefusesTheDevice()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND);
        final VsmmuTopology topology = rig.vsmmu.topology();
        final int b = rig.attach(1, 0x200, 0x10);
        assertEquals(1, topology.viommuCount());
        final int a = rig.attach(0, 0x100, 0x8);
        assertEquals(2, topology.viommuCount(), "the SMMU-1 vIOMMU refused a device behind SMMU 0");
        assertNotEquals(a, b);
        assertEquals(a, rig.attach(0, 0x101, 0x9), "reuses the SMMU-0 vIOMMU after SMMU 1's refused");
        assertEquals(2, topology.viommuCount());
        assertEquals(3, topology.deviceCount());
        assertEquals(0, rig.iommufd.viommu(a).smmuId());
        assertEquals(1, rig.iommufd.viommu(b).smmuId());
        assertEquals(topology.owner(0x8), topology.owner(0x9));
        assertEquals(VsmmuTopology.NO_ROUTE, topology.route(0x66), "fanned out: an unknown vSID has no owner");
    }

    @Test
    void fannedOutRoutesSidCommandsToTheOwnerAndBroadcastsAsidWideOnesAtACountedCost()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND);
        rig.attach(0, 0x100, 0x8);
        rig.attach(1, 0x200, 0x10);
        rig.enable();
        rig.put(0, 0x40 | (0x10L << 32), 0x5000);               // ATC_INV vSID 0x10 → SMMU 1
        rig.put(1, 0x40 | (0x8L << 32), 0x6000);                // ATC_INV vSID 0x8 → SMMU 0
        rig.put(2, 0x11 | (0x3L << 48) | (0x77L << 32), 0);     // TLBI_NH_ASID: both
        rig.put(3, SYNC_SEV, 0);
        rig.prod(4);
        assertEquals(4, rig.cons());
        assertEquals(4, rig.smmu1.recorded, "SMMU 1: ATC_INV + sync, NH_ASID + sync");
        VmmRig.assertWords(rig.smmu1, 0, 0x40 | (0x200L << 32), 0x5000);
        VmmRig.assertWords(rig.smmu1, 2, 0x11 | (0x3L << 48) | (1L << 32), 0);
        assertEquals(4, rig.smmu0.recorded);
        VmmRig.assertWords(rig.smmu0, 0, 0x40 | (0x100L << 32), 0x6000);
        VmmRig.assertWords(rig.smmu0, 2, 0x11 | (0x3L << 48) | (1L << 32), 0);
        assertEquals(4, rig.vsmmu.counters().invalidateCalls().get());
        assertEquals(1, rig.vsmmu.counters().broadcastExtraCalls().get());
        assertEquals(4, rig.meter.count(CostKind.SYSCALL));
    }

    @Test
    void fannedOutBatchesPerTargetInGuestOrder()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
        rig.attach(0, 0x100, 0x8);
        rig.attach(1, 0x200, 0x10);
        rig.enable();
        rig.put(0, 0x40 | (0x8L << 32), 0);
        rig.put(1, 0x40 | (0x8L << 32), 0x1000);
        rig.put(2, 0x40 | (0x10L << 32), 0);
        rig.put(3, 0x12, 0x9000);
        rig.put(4, SYNC_SEV, 0);
        rig.prod(5);
        assertEquals(4, rig.vsmmu.counters().invalidateCalls().get(), "SMMU 0 pair, SMMU 1, broadcast x2");
        assertEquals(1, rig.vsmmu.counters().broadcastExtraCalls().get());
        assertEquals(5, rig.smmu0.recorded, "2 ATC_INV + sync, NH_VA + sync");
        assertEquals(4, rig.smmu1.recorded);
    }

    @Test
    void fannedOutUnknownVsidIsIllegalWithoutAHostCall()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
        rig.attach(0, 0x100, 0x8);
        rig.enable();
        rig.put(0, 0x40 | (0x8L << 32), 0);
        rig.put(1, 0x40 | (0x66L << 32), 0);
        rig.put(2, 0x40 | (0x8L << 32), 0x1000);
        rig.prod(3);
        assertEquals((1 << 24) | 1, rig.cons());
        assertEquals(1, rig.vsmmu.counters().invalidateCalls().get(), "only the entry before it");
        assertEquals(2, rig.smmu0.recorded);
    }

    @Test
    void perPhysicalSmmuHasOneViommuAndTheHostRefusesADeviceBehindAnotherSmmu()
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        final int v = rig.attach(0, 0x100, 0x8);
        assertEquals(v, rig.attach(0, 0x101, 0x9));
        final int dev = rig.iommufd.bindDevice(1, 0x200);
        final IommufdException e = assertThrows(IommufdException.class, () -> rig.vsmmu.attach(dev, 0x10));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(1, rig.vsmmu.topology().viommuCount());
        assertEquals(2, rig.vsmmu.topology().deviceCount());
        assertEquals(0, rig.vsmmu.topology().route(0x66), "per physical SMMU: the one vIOMMU decides");
    }

    @Test
    void vcmdqIsRefusedOnAFannedOutVsmmuAndBeforeAnyDeviceButGivenPerPhysicalSmmu()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
        rig.attach(0, 0x100, 0x8);
        final VcmdqRefusedException fanned = assertThrows(VcmdqRefusedException.class, rig.vsmmu::vcmdqViommu);
        assertTrue(fanned.getMessage().contains("vsmmu0") && fanned.getMessage().contains("fanned out"), fanned.getMessage());
        rig.close();

        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        final VcmdqRefusedException empty = assertThrows(VcmdqRefusedException.class, rig.vsmmu::vcmdqViommu);
        assertTrue(empty.getMessage().contains("no device"), empty.getMessage());
        final int v = rig.attach(0, 0x100, 0x8);
        assertEquals(v, rig.vsmmu.vcmdqViommu());
    }

    @Test
    void aVsidIsAttachedOnce()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
        rig.attach(0, 0x100, 0x8);
        final int dev = rig.iommufd.bindDevice(1, 0x200);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rig.vsmmu.attach(dev, 0x8));
        assertTrue(e.getMessage().contains("vsid=0x8"), e.getMessage());
        assertEquals(1, rig.vsmmu.topology().viommuCount(), "nothing allocated for the refused attach");
    }

    @Test
    void vIommusAreOfTheConfiguredType()
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        assertEquals(ViommuType.ARM_SMMUV3, rig.vsmmu.topology().viommuType(), "the default");
        final VsmmuTopology cmdqv = new VsmmuTopology(TopologyKind.PER_PHYSICAL_SMMU, rig.iommufd, "vsmmu1",
            ViommuType.TEGRA241_CMDQV);
        final int v = cmdqv.attach(rig.iommufd.bindDevice(0, 0x100), 0x8);
        assertEquals(ViommuType.TEGRA241_CMDQV, rig.iommufd.viommu(v).type());
        assertEquals(ViommuType.TEGRA241_CMDQV, cmdqv.viommuType());
        final int arm = rig.attach(0, 0x101, 0x9);
        assertEquals(ViommuType.ARM_SMMUV3, rig.iommufd.viommu(arm).type());
    }

    @Test
    void fannedOutDetachedVsidIsIllegalWithoutAHostCallAndTheOtherDeviceStaysRouted()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND);
        final VsmmuTopology topology = rig.vsmmu.topology();
        final int a = rig.attach(0, 0x100, 0x8);
        final int b = rig.attach(1, 0x200, 0x10);
        assertEquals(a, rig.vsmmu.detach(0x8), "the vIOMMU the vDEVICE was destroyed in");
        assertEquals(2, topology.viommuCount(), "vIOMMUs stay until teardown");
        assertEquals(1, topology.deviceCount());
        assertEquals(0x10, topology.deviceVsid(0));
        assertEquals(VsmmuTopology.NO_ROUTE, topology.route(0x8));
        assertEquals(VsmmuTopology.NO_ROUTE, topology.owner(0x8));
        assertTrue(rig.iommufd.viommu(a).vdevices().isEmpty(), "the host's vDEVICE is gone");
        assertEquals(1, rig.iommufd.viommu(b).vdevices().size());

        rig.enable();
        rig.put(0, 0x40 | (0x10L << 32), 0x5000);               // ATC_INV vSID 0x10 → SMMU 1
        rig.put(1, 0x40 | (0x8L << 32), 0x6000);                // ATC_INV detached vSID 0x8
        rig.put(2, SYNC_SEV, 0);
        rig.prod(3);
        assertEquals((1 << 24) | 1, rig.cons(), "CONS on slot 1, ERR = CERROR_ILL");
        assertEquals(2, rig.smmu1.recorded, "ATC_INV + host sync");
        VmmRig.assertWords(rig.smmu1, 0, 0x40 | (0x200L << 32), 0x5000);
        assertEquals(0, rig.smmu0.recorded, "nothing reached the detached device's SMMU");
        assertEquals(1, rig.vsmmu.counters().invalidateCalls().get());
    }

    @Test
    void aDetachedVsidCanBeAttachedAgainToTheSameOrAnotherDevice()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND);
        final VsmmuTopology topology = rig.vsmmu.topology();
        final int first = rig.iommufd.bindDevice(0, 0x100);
        final int a = rig.vsmmu.attach(first, 0x8);
        rig.attach(1, 0x200, 0x10);
        rig.vsmmu.detach(0x8);
        assertEquals(a, rig.vsmmu.attach(first, 0x8), "the same device again, on the SMMU-0 vIOMMU");
        rig.vsmmu.detach(0x8);
        assertEquals(a, rig.attach(0, 0x101, 0x8), "another device behind SMMU 0 under the same vSID");
        assertEquals(2, topology.viommuCount(), "no vIOMMU allocated by a re-attach");
        assertEquals(2, topology.deviceCount());
        assertEquals(0x10, topology.deviceVsid(0), "attach order: 0x10, then the re-attached 0x8");
        assertEquals(0x8, topology.deviceVsid(1));
        assertEquals(topology.owner(0x8), topology.deviceViommuIndex(1));
        assertEquals(rig.iommufd.viommu(a).vdevices().get(0).id(), topology.deviceVdeviceId(1));

        rig.enable();
        rig.put(0, 0x40 | (0x8L << 32), 0x6000);
        rig.put(1, SYNC_SEV, 0);
        rig.prod(2);
        assertEquals(2, rig.cons());
        assertEquals(2, rig.smmu0.recorded);
        VmmRig.assertWords(rig.smmu0, 0, 0x40 | (0x101L << 32), 0x6000);
    }

    @Test
    void perPhysicalSmmuDetachedVsidIsRefusedByTheHostAsANeverAttachedOne()
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        final VsmmuTopology topology = rig.vsmmu.topology();
        final int v = rig.attach(0, 0x100, 0x8);
        rig.attach(0, 0x101, 0x9);
        assertEquals(v, rig.vsmmu.detach(0x8));
        assertEquals(0, topology.route(0x8), "per physical SMMU: the one vIOMMU decides, as for 0x66");
        assertEquals(VsmmuTopology.NO_ROUTE, topology.owner(0x8));

        rig.enable();
        rig.put(0, 0x40 | (0x9L << 32), 0x5000);
        rig.put(1, 0x40 | (0x8L << 32), 0x6000);
        rig.put(2, SYNC_SEV, 0);
        rig.prod(3);
        assertEquals((1 << 24) | 1, rig.cons(), "CONS on slot 1, ERR = CERROR_ILL, from the host");
        boolean sawKept = false;
        for (int i = 0; i < rig.smmu0.recorded; i++)
        {
            assertNotEquals(0x40 | (0x100L << 32), rig.smmu0.dw0[i], "host entry " + i + " names the detached pSID");
            sawKept |= rig.smmu0.dw0[i] == (0x40 | (0x101L << 32));
        }
        assertTrue(sawKept, "the ATC_INV for the attached vSID 0x9 executed as pSID 0x101");

        rig.vsmmu.detach(0x9);
        assertEquals(0, topology.deviceCount());
        assertEquals(1, topology.viommuCount(), "the last device leaving keeps the vIOMMU");
        assertEquals(v, rig.vsmmu.vcmdqViommu());
        assertEquals(v, rig.attach(0, 0x100, 0x8), "hot-plug after the last device left reuses it");
    }

    @Test
    void cfgiSteForADetachedVsidIsIgnoredAsForANeverAttachedOne()
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        rig.attach(0, 0x100, 0x8);
        rig.vsmmu.detach(0x8);
        rig.enable();
        rig.put(0, 0x03 | (0x8L << 32), 1);                     // CFGI_STE vSID 0x8, LEAF
        rig.put(1, SYNC_SEV, 0);
        rig.prod(2);
        assertEquals(2, rig.cons(), "no error: QEMU ignores CFGI_STE for a device it does not know");
        assertEquals(0, rig.smmu0.recorded, "no STE re-install reached the host");
    }

    @Test
    void detachingAVsidNotAttachedNamesItAndChangesNothing()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
        final int a = rig.attach(0, 0x100, 0x8);
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> rig.vsmmu.detach(0x66));
        assertEquals("vsid=0x66 is not attached to vsmmu0", unknown.getMessage());
        rig.attach(0, 0x101, 0x9);
        rig.vsmmu.detach(0x9);
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> rig.vsmmu.detach(0x9));
        assertTrue(twice.getMessage().contains("vsid=0x9"), twice.getMessage());
        assertEquals(1, rig.vsmmu.topology().deviceCount());
        assertEquals(0, rig.vsmmu.topology().owner(0x8));
        assertEquals(1, rig.iommufd.viommu(a).vdevices().size());
        assertEquals(0x8, rig.iommufd.viommu(a).vdevices().get(0).virtId(), "vSID 0x8's vDEVICE is untouched");
    }

    @Test
    void aDetachTheHostRefusesLeavesTheDeviceAttachedAndRoutedAndCanBeRetried()
    {
        rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
        final RefusingDestroys backend = new RefusingDestroys(rig.iommufd);
        final VsmmuTopology topology = new VsmmuTopology(TopologyKind.FANNED_OUT, backend, "vsmmu1");
        final int a = topology.attach(rig.iommufd.bindDevice(0, 0x100), 0x8);
        backend.refusals = 1;
        final IommufdException e = assertThrows(IommufdException.class, () -> topology.detach(0x8));
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertEquals(1, topology.deviceCount(), "still attached");
        assertEquals(0, topology.route(0x8), "still routed");
        assertEquals(1, rig.iommufd.viommu(a).vdevices().size());
        assertEquals(a, topology.detach(0x8), "the retry");
        assertEquals(0, topology.deviceCount());
        assertEquals(VsmmuTopology.NO_ROUTE, topology.route(0x8));
        assertTrue(rig.iommufd.viommu(a).vdevices().isEmpty());
    }

    /** The host model, except that the next {@code refusals} destroys fail as a drain timeout would. */
    private static final class RefusingDestroys implements IommufdBackend
    {
        private final Iommufd host;
        int refusals;

        RefusingDestroys(final Iommufd host)
        {
            this.host = host;
        }

        @Override
        public void destroy(final int id)
        {
            if (refusals > 0)
            {
                refusals--;
                throw new IommufdException(Errno.ETIMEDOUT, "id=" + id + ": drain timed out (test)");
            }
            host.destroy(id);
        }

        @Override
        public int allocNestParent(final int devId)
        {
            return host.allocNestParent(devId);
        }

        @Override
        public int allocViommu(final ViommuType type, final int devId, final int hwptId)
        {
            return host.allocViommu(type, devId, hwptId);
        }

        @Override
        public int allocVdevice(final int viommuId, final int devId, final long virtId)
        {
            return host.allocVdevice(viommuId, devId, virtId);
        }

        @Override
        public void mapGuestMemory(final GuestMemory memory)
        {
            host.mapGuestMemory(memory);
        }

        @Override
        public int allocHwQueue(final int viommuId, final int type, final int index, final long nestingParentIova, final long length)
        {
            return host.allocHwQueue(viommuId, type, index, nestingParentIova, length);
        }

        @Override
        public QueueRegisters hwQueueRegisters(final int hwQueueId)
        {
            return host.hwQueueRegisters(hwQueueId);
        }

        @Override
        public void writeHwQueueConfig(final int hwQueueId, final int config)
        {
            host.writeHwQueueConfig(hwQueueId, config);
        }

        @Override
        public int hwQueueStatus(final int hwQueueId)
        {
            return host.hwQueueStatus(hwQueueId);
        }

        @Override
        public int allocVeventq(final int viommuId, final int type, final int depth)
        {
            return host.allocVeventq(viommuId, type, depth);
        }

        @Override
        public int readVevent(final int veventqId, final MutableDirectBuffer buffer, final int offset)
        {
            return host.readVevent(veventqId, buffer, offset);
        }

        @Override
        public int reinstallSte(final int viommuId, final long virtId)
        {
            return host.reinstallSte(viommuId, virtId);
        }

        @Override
        public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
        {
            return host.invalidate(header, entries, offset);
        }

        @Override
        public void close()
        {
            host.close();
        }
    }
}
