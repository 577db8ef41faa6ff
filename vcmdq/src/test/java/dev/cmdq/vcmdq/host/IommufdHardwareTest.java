package dev.cmdq.vcmdq.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.host.uapi.VeventHeader;
import dev.cmdq.vcmdq.host.uapi.VeventTegra241Cmdqv;
import dev.cmdq.vcmdq.hw.Cmdqv;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import dev.cmdq.vcmdq.hw.Vcmdq;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * {@link Iommufd} over a {@link PhysicalSmmu} with CMDQV: host boot, a CMDQV vIOMMU's VINTF, vDEVICE SID
 * slots, HW queue allocation with every §3.6 rule as a typed error naming the field, the guest using its
 * queue through the mapped registers, teardown (disable → host CMD_SYNC → reset, pinned by a recording),
 * vEVENTQ error reports, lifetimes, and the hot-unplug drain (the SID slot is cleared only after the
 * guest queue drained and a host CMD_SYNC completed, pinned by a recording).
 */
class IommufdHardwareTest
{
    private static final long PSID = 0x4321;
    private static final long VSID = 0x21;
    private static final long RING = HwHostRig.GUEST_BASE + 0x1000;

    private final HwHostRig rig = new HwHostRig();
    private final Iommufd iommufd = rig.iommufd;
    private int dev;
    private int s2;

    @AfterEach
    void close()
    {
        rig.close();
    }

    private int cmdqvViommu()
    {
        dev = iommufd.bindDevice(0, PSID);
        s2 = iommufd.allocNestParent(dev);
        return iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev, s2);
    }

    private static void assertErrno(final Errno errno, final String field, final Executable call)
    {
        final IommufdException e = assertThrows(IommufdException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(field), "message names " + field + ": " + e.getMessage());
    }

    @Test
    void bootEnablesCmdqvPreAssignsQueuesAndOwnsVintfZero()
    {
        final Cmdqv cmdqv = rig.cmdqv();
        assertTrue(cmdqv.isEnabled());
        for (int q = 0; q < cmdqv.numVcmdqs(); q++)
        {
            // q = vintf * 2 + lidx, ALLOCATED clear (§1.4).
            assertEquals(((q / 2) << 15) | ((q % 2) << 1), cmdqv.cmdqAlloc(q), "CMDQ_ALLOC[" + q + "]");
        }
        assertEquals(CmdqvLayout.HYP_OWN | CmdqvLayout.ENABLE, cmdqv.vintfConfig(0));
    }

    @Test
    void aCmdqvViommuGetsAGuestVintfWithItsVmidAndVdevicesGetSidSlots()
    {
        final int v = cmdqvViommu();
        final int vmid = iommufd.viommu(v).vmid();
        assertEquals((vmid << 1) | 1, rig.cmdqv().vintfConfig(1), "VINTF 1: VMID, HYP_OWN=0, ENABLE");
        iommufd.allocVdevice(v, dev, VSID);
        assertEquals((int)(VSID << 1) | 1, rig.cmdqv().sidMatch(1, 0));
        assertEquals((int)PSID, rig.cmdqv().sidReplace(1, 0));

        final int wide = iommufd.bindDevice(0, 0x10_0000);
        assertErrno(Errno.EINVAL, "pSID 0x100000", () -> iommufd.allocVdevice(v, wide, 0x22));
        assertEquals(0, rig.cmdqv().sidMatch(1, 1), "nothing programmed");
        for (int i = 1; i < 16; i++)
        {
            iommufd.allocVdevice(v, iommufd.bindDevice(0, 0x100 + i), 0x40 + i);
        }
        assertErrno(Errno.ENOSPC, "no free SID slot", () -> iommufd.allocVdevice(v, iommufd.bindDevice(0, 0x200), 0x60));
    }

    @Test
    void vintfsRunOutAndAreReusedAfterDestroy()
    {
        final int v1 = cmdqvViommu();
        iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev, s2);
        iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev, s2);
        assertErrno(Errno.ENOSPC, "no free VINTF", () -> iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev, s2));
        iommufd.destroy(v1);
        assertEquals(0, rig.cmdqv().vintfConfig(1), "VINTF 1 disabled");
        iommufd.allocViommu(ViommuType.TEGRA241_CMDQV, dev, s2);
        assertNotEquals(0, rig.cmdqv().vintfConfig(1), "and given again");
    }

    @Test
    void hwQueueAllocationRulesAreTypedErrorsNamingTheField()
    {
        final int v = cmdqvViommu();
        final int arm = iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
        assertErrno(Errno.EFAULT, "none mapped", () -> iommufd.allocHwQueue(v, 1, 0, RING, 0x1000));
        iommufd.mapGuestMemory(rig.guest);
        assertErrno(Errno.ENOENT, "viommu_id=999", () -> iommufd.allocHwQueue(999, 1, 0, RING, 0x1000));
        assertErrno(Errno.EOPNOTSUPP, "type=0", () -> iommufd.allocHwQueue(v, 0, 0, RING, 0x1000));
        assertErrno(Errno.EOPNOTSUPP, "viommu_id=" + arm, () -> iommufd.allocHwQueue(arm, 1, 0, RING, 0x1000));
        assertErrno(Errno.EINVAL, "length=0", () -> iommufd.allocHwQueue(v, 1, 0, RING, 0));
        assertErrno(Errno.EOVERFLOW, "nesting_parent_iova=0xfffffffffffff000", () -> iommufd.allocHwQueue(v, 1, 0, -0x1000L, 0x2000));
        assertErrno(Errno.EFAULT, "nesting_parent_iova=0x80100000",
            () -> iommufd.allocHwQueue(v, 1, 0, HwHostRig.GUEST_BASE + (1 << 20), 0x1000));
        assertErrno(Errno.EFAULT, "length=0x2000",
            () -> iommufd.allocHwQueue(v, 1, 0, HwHostRig.GUEST_BASE + (1 << 20) - 0x1000, 0x2000));
        assertErrno(Errno.EINVAL, "index=2", () -> iommufd.allocHwQueue(v, 1, 2, RING, 0x1000));
        assertErrno(Errno.EINVAL, "index=-1", () -> iommufd.allocHwQueue(v, 1, -1, RING, 0x1000));
        assertErrno(Errno.EIO, "index=1", () -> iommufd.allocHwQueue(v, 1, 1, RING, 0x1000));
        assertErrno(Errno.EINVAL, "length=0x30", () -> iommufd.allocHwQueue(v, 1, 0, RING, 0x30));
        assertErrno(Errno.EINVAL, "length=0x10", () -> iommufd.allocHwQueue(v, 1, 0, RING, 0x10));
        // IDR1.CMDQS = 12 in this rig: at most 4096 entries = 0x10000 bytes.
        assertErrno(Errno.EINVAL, "length=0x20000", () -> iommufd.allocHwQueue(v, 1, 0, HwHostRig.GUEST_BASE, 0x20000));
        assertErrno(Errno.EINVAL, "nesting_parent_iova=0x80001100", () -> iommufd.allocHwQueue(v, 1, 0, RING + 0x100, 0x1000));
        for (int q = 0; q < rig.cmdqv().numVcmdqs(); q++)
        {
            assertEquals(0, rig.cmdqv().cmdqAlloc(q) & CmdqvLayout.ALLOCATED, "no failed call mapped queue " + q);
        }

        iommufd.allocHwQueue(v, 1, 0, RING, 0x10000 >> 4);
        assertErrno(Errno.EEXIST, "index=0", () -> iommufd.allocHwQueue(v, 1, 0, RING + 0x2000, 0x1000));
        iommufd.allocHwQueue(v, 1, 1, HwHostRig.GUEST_BASE + 0x10000, 0x10000);
    }

    @Test
    void aHwQueueIsMappedAndTheGuestRunsItThroughTheMappedRegisters()
    {
        final int v = cmdqvViommu();
        final int vmid = iommufd.viommu(v).vmid();
        iommufd.allocVdevice(v, dev, VSID);
        iommufd.mapGuestMemory(rig.guest);
        final int hwq = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        final Vcmdq vcmdq = rig.cmdqv().vcmdq(2);
        assertEquals((1 << 15) | 1, rig.cmdqv().cmdqAlloc(2), "VINTF 1, LVCMDQ 0, ALLOCATED");
        assertEquals(RING | 4, vcmdq.base(), "BASE = address | log2(0x100 / 16)");
        rig.run(1);
        assertEquals(0, iommufd.hwQueueStatus(hwq), "enable is left to the guest");

        iommufd.writeHwQueueConfig(hwq, 1);
        rig.run(1);
        assertEquals(1, iommufd.hwQueueStatus(hwq));
        final QueueRegisters registers = iommufd.hwQueueRegisters(hwq);
        rig.put(RING, 4, 0, 0x11 | (0x99L << 32) | (0x5L << 48), 0);
        rig.put(RING, 4, 1, 0x40 | (VSID << 32), 0);
        rig.put(RING, 4, 2, 0x46, 0);
        registers.putProdRelease(3);
        rig.run(1);
        assertEquals(3, registers.getConsAcquire());
        assertEquals(3, rig.count);
        assertEquals(0x11 | ((long)vmid << 32) | (0x5L << 48), rig.dw0[0], "VMID of the vIOMMU");
        assertEquals(0x40 | (PSID << 32), rig.dw0[1], "pSID of the vDEVICE");
    }

    @Test
    void destroyingAHwQueueDisablesSyncsThenResets()
    {
        final int v = cmdqvViommu();
        iommufd.mapGuestMemory(rig.guest);
        final int hwq = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        iommufd.writeHwQueueConfig(hwq, 1);
        rig.run(1);
        final QueueRegisters registers = iommufd.hwQueueRegisters(hwq);
        rig.put(RING, 4, 0, 0x10, 0);  // forbidden: leaves an error behind
        registers.putProdRelease(1);
        rig.run(1);
        final Vcmdq vcmdq = rig.cmdqv().vcmdq(2);
        assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));

        rig.probe = () -> vcmdq.isEnabled() ? 1 : 0;
        iommufd.destroy(hwq);
        assertEquals(1, rig.count, "one command: the host's CMD_SYNC");
        assertEquals(0x46, rig.opcode(0));
        assertEquals(0, rig.probed[0], "the queue was already disabled when the sync executed");
        assertEquals(0, registers.getProdAcquire());
        assertEquals(0, registers.getConsAcquire());
        assertEquals(0, vcmdq.base());
        assertEquals(0, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
        assertEquals(1 << 15, rig.cmdqv().cmdqAlloc(2), "unmapped, pre-assignment kept");
        assertErrno(Errno.ENOENT, "hw_queue_id=" + hwq, () -> iommufd.hwQueueRegisters(hwq));
        iommufd.destroy(v);
    }

    @Test
    void destroyingAHwQueueFirstDrainsWhatTheGuestPublished()
    {
        final int v = cmdqvViommu();
        iommufd.mapGuestMemory(rig.guest);
        final int hwq = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        iommufd.writeHwQueueConfig(hwq, 1);
        rig.run(1);
        final QueueRegisters registers = iommufd.hwQueueRegisters(hwq);
        for (int i = 0; i < 5; i++)
        {
            rig.put(RING, 4, i, 0x11 | (long)(i + 1) << 48, 0);  // TLBI_NH_ASID, ASID i+1
        }
        registers.putProdRelease(5);  // published; the engine has not run since

        iommufd.destroy(hwq);
        assertEquals(6, rig.count, "the 5 published commands, then the host's CMD_SYNC");
        for (int i = 0; i < 5; i++)
        {
            assertEquals(0x11, rig.opcode(i));
            assertEquals(i + 1, (int)(rig.dw0[i] >>> 48), "in queue order");
        }
        assertEquals(0x46, rig.opcode(5));
        assertEquals(0, iommufd.droppedAtTeardown());
        iommufd.destroy(v);
    }

    @Test
    void aHaltedHwQueueIsResetAndItsPendingCommandsAreCounted()
    {
        final int v = cmdqvViommu();
        iommufd.mapGuestMemory(rig.guest);
        final int hwq = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        iommufd.writeHwQueueConfig(hwq, 1);
        rig.run(1);
        final QueueRegisters registers = iommufd.hwQueueRegisters(hwq);
        rig.put(RING, 4, 0, 0x10, 0);                  // forbidden (TLBI_NH_ALL): the queue halts on it
        rig.put(RING, 4, 1, 0x11 | 1L << 48, 0);
        rig.put(RING, 4, 2, 0x11 | 2L << 48, 0);
        registers.putProdRelease(3);
        rig.run(1);
        assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));

        iommufd.destroy(hwq);
        assertEquals(3, iommufd.droppedAtTeardown(), "the halted entry and the two behind it never ran");
        assertEquals(1, rig.count, "only the host's CMD_SYNC executed");
        assertEquals(0x46, rig.opcode(0));
        iommufd.destroy(v);
    }

    @Test
    void lifetimesAreEnforced()
    {
        final int v = cmdqvViommu();
        iommufd.mapGuestMemory(rig.guest);
        final int q0 = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        final int q1 = iommufd.allocHwQueue(v, 1, 1, RING + 0x100, 0x100);
        final int eq = iommufd.allocVeventq(v, Veventq.TYPE_TEGRA241_CMDQV, 4);
        assertErrno(Errno.EBUSY, "predecessor", () -> iommufd.destroy(q0));
        assertErrno(Errno.EBUSY, "children", () -> iommufd.destroy(v));
        iommufd.destroy(q1);
        iommufd.destroy(q0);
        assertErrno(Errno.EBUSY, "children", () -> iommufd.destroy(v));
        iommufd.destroy(eq);
        iommufd.destroy(v);
        assertEquals(0, rig.cmdqv().vintfConfig(1));
    }

    @Test
    void veventqAllocationRules()
    {
        final int v = cmdqvViommu();
        final int arm = iommufd.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
        assertErrno(Errno.EOPNOTSUPP, "type=1", () -> iommufd.allocVeventq(v, Veventq.TYPE_ARM_SMMUV3, 4));
        assertErrno(Errno.EOPNOTSUPP, "viommu_id=" + arm, () -> iommufd.allocVeventq(arm, Veventq.TYPE_TEGRA241_CMDQV, 4));
        assertErrno(Errno.EINVAL, "veventq_depth=0", () -> iommufd.allocVeventq(v, Veventq.TYPE_TEGRA241_CMDQV, 0));
        iommufd.allocVeventq(v, Veventq.TYPE_TEGRA241_CMDQV, 4);
        assertErrno(Errno.EEXIST, "viommu_id=" + v, () -> iommufd.allocVeventq(v, Veventq.TYPE_TEGRA241_CMDQV, 4));
    }

    @Test
    void aGuestVcmdqErrorReachesTheVeventqAsTheLvcmdqErrorMap()
    {
        final int v = cmdqvViommu();
        iommufd.mapGuestMemory(rig.guest);
        final int q0 = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        final int q1 = iommufd.allocHwQueue(v, 1, 1, RING + 0x100, 0x100);
        final int eq = iommufd.allocVeventq(v, Veventq.TYPE_TEGRA241_CMDQV, 4);
        iommufd.writeHwQueueConfig(q0, 1);
        iommufd.writeHwQueueConfig(q1, 1);
        rig.run(1);
        final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        assertEquals(0, iommufd.readVevent(eq, record, 0), "nothing yet");

        rig.put(RING + 0x100, 4, 0, 0x40 | (0x77L << 32), 0);  // ATC_INV with an unknown vSID on LVCMDQ 1
        iommufd.hwQueueRegisters(q1).putProdRelease(1);
        rig.run(1);
        assertEquals(CommandError.ILL_ACCESS, (iommufd.hwQueueRegisters(q1).getConsAcquire() >>> 24) & 0x7F);
        assertEquals(VeventHeader.SIZE + VeventTegra241Cmdqv.SIZE, iommufd.readVevent(eq, record, 8));
        final VeventHeader header = new VeventHeader();
        header.wrap(record, 8);
        assertEquals(0, header.flags());
        assertEquals(0, header.sequence());
        final VeventTegra241Cmdqv payload = new VeventTegra241Cmdqv();
        payload.wrap(record, 8 + VeventHeader.SIZE);
        assertEquals(1L << 1, payload.lvcmdqErrMap0(), "LVCMDQ 1 in error");
        assertEquals(0, payload.lvcmdqErrMap1());
        assertEquals(0, iommufd.readVevent(eq, record, 0));
        assertEquals(0, iommufd.unreportedErrors());
    }

    @Test
    void anErrorWithoutAVeventqIsCountedAsUnreported()
    {
        final int v = cmdqvViommu();
        iommufd.mapGuestMemory(rig.guest);
        final int q0 = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        iommufd.writeHwQueueConfig(q0, 1);
        rig.put(RING, 4, 0, 0x10, 0);
        iommufd.hwQueueRegisters(q0).putProdRelease(1);
        rig.run(2);
        assertEquals(1, iommufd.unreportedErrors());
    }

    @Test
    void hotUnplugClearsTheSidSlotOnlyAfterTheGuestQueueDrainedAndAHostSyncCompleted()
    {
        final int v = cmdqvViommu();
        final int vd = iommufd.allocVdevice(v, dev, VSID);
        iommufd.mapGuestMemory(rig.guest);
        final int hwq = iommufd.allocHwQueue(v, 1, 0, RING, 0x100);
        iommufd.writeHwQueueConfig(hwq, 1);
        rig.run(1);
        // In flight: three ATC_INVs for the device and a sync, published but not yet consumed.
        for (int i = 0; i < 3; i++)
        {
            rig.put(RING, 4, i, 0x40 | (VSID << 32), (long)i << 12);
        }
        rig.put(RING, 4, 3, 0x46, 0);
        iommufd.hwQueueRegisters(hwq).putProdRelease(4);
        final Cmdqv cmdqv = rig.cmdqv();
        rig.probe = () -> cmdqv.lookupSid(1, VSID);

        iommufd.destroy(vd);

        assertEquals(5, rig.count, "3 ATC_INV + guest sync + host sync");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(0x40 | (PSID << 32), rig.dw0[i], "in-flight ATC_INV " + i + " got the pSID");
            assertEquals((long)i << 12, rig.dw1[i]);
        }
        assertEquals(0x46, rig.opcode(3));
        assertEquals(0x46, rig.opcode(4), "the host's CMD_SYNC");
        assertEquals(PSID, rig.probed[4], "the slot still matched while the host sync executed");
        assertEquals(Cmdqv.NO_MATCH, cmdqv.lookupSid(1, VSID), "cleared after");
        assertEquals(0, cmdqv.sidMatch(1, 0));
        assertEquals(-1, iommufd.viommu(v).translateSid(VSID), "the trap path forgets it too");

        rig.put(RING, 4, 4, 0x40 | (VSID << 32), 0);
        iommufd.hwQueueRegisters(hwq).putProdRelease(5);
        rig.run(1);
        assertEquals(CommandError.ILL_ACCESS, (iommufd.hwQueueRegisters(hwq).getConsAcquire() >>> 24) & 0x7F,
            "an ATC_INV for the unplugged device now faults");
    }

    @Test
    void aDrainThatCannotFinishTimesOutAndKeepsTheSlot()
    {
        try (HwHostRig stuck = new HwHostRig(12, TimeUnit.MILLISECONDS.toNanos(50)))
        {
            final Iommufd fd = stuck.iommufd;
            final int d = fd.bindDevice(0, PSID);
            final int v = fd.allocViommu(ViommuType.TEGRA241_CMDQV, d, fd.allocNestParent(d));
            final int vd = fd.allocVdevice(v, d, VSID);
            fd.mapGuestMemory(stuck.guest);
            final int hwq = fd.allocHwQueue(v, 1, 0, RING, 0x100);
            fd.writeHwQueueConfig(hwq, 1);
            stuck.run(1);
            // A cache model that throws on every command: the engine retries the entry forever, so CONS
            // never reaches PROD and the queue never halts — the drain cannot finish.
            stuck.probe = () ->
            {
                throw new IllegalStateException("cache model stuck");
            };
            stuck.put(RING, 4, 0, 0x11, 0);
            fd.hwQueueRegisters(hwq).putProdRelease(1);
            final IommufdException e = assertThrows(IommufdException.class, () -> fd.destroy(vd));
            assertEquals(Errno.ETIMEDOUT, e.errno(), e.getMessage());
            assertEquals(PSID, stuck.cmdqv().lookupSid(1, VSID), "slot kept");
            assertTrue(stuck.smmu.engineErrors() > 0);
        }
    }

    @Test
    void theWholeFlowRunsWithAThreadedEngine()
    {
        final GuestMemory guest = GuestMemory.allocate(HwHostRig.GUEST_BASE, 1 << 16);
        final long[] executed = new long[1];
        try (PhysicalSmmu smmu = PhysicalSmmu.builder((d0, d1) ->
        {
            executed[0]++;
            return 0;
        }).build().startThreaded())
        {
            final Iommufd fd = Iommufd.overHardware(VmidPolicy.S2_DOMAIN, HostCmdqStrategy.LINUX_LOCKFREE,
                CompletionWait.WRITE_BACK, WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(10)), smmu);
            final int d = fd.bindDevice(0, PSID);
            final int v = fd.allocViommu(ViommuType.TEGRA241_CMDQV, d, fd.allocNestParent(d));
            final int vd = fd.allocVdevice(v, d, VSID);
            fd.mapGuestMemory(guest);
            final int hwq = fd.allocHwQueue(v, 1, 0, HwHostRig.GUEST_BASE, 0x100);
            fd.writeHwQueueConfig(hwq, 1);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fd.hwQueueStatus(hwq) == 0 && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertEquals(1, fd.hwQueueStatus(hwq));
            guest.buffer().putLong(0, 0x40 | (VSID << 32), java.nio.ByteOrder.LITTLE_ENDIAN);
            fd.hwQueueRegisters(hwq).putProdRelease(1);
            fd.destroy(vd);      // drains: waits for the engine thread
            assertEquals(1, fd.hwQueueRegisters(hwq).getConsAcquire(), "the in-flight ATC_INV ran before the unplug");
            fd.destroy(hwq);
            fd.destroy(v);
            assertFalse(smmu.cmdqv().vcmdq(2).isEnabled());
            fd.close();
        }
        assertEquals(3, executed[0], "ATC_INV and two host syncs (drain, teardown)");
    }
}
