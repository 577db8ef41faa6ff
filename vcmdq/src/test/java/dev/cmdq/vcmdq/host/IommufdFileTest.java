package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IommufdFile}: two contexts of one host over a {@link dev.cmdq.vcmdq.hw.PhysicalSmmu} with
 * CMDQV. Every ID-taking call of one context given the other's IDs is ENOENT naming the ID and changes
 * nothing (the owner's invalidation still reaches the SMMU, its queue still runs); mappings are per
 * context; close destroys what a context owns in the kernel's order and frees its VINTFs, SID slots and
 * VMIDs for the other; a warm invalidate through a context allocates nothing; ownership published by
 * set-up on one thread is never lost for, nor leaked to, a lock-free invalidating thread.
 */
class IommufdFileTest
{
    private static final long PSID_A = 0x4321;
    private static final long PSID_B = 0x5432;
    private static final long VSID = 0x21;
    private static final long RING_A = HwHostRig.GUEST_BASE + 0x1000;
    private static final long RAM_B = 0x1_0000_0000L;
    private static final long RING_B = RAM_B + 0x1000;
    /** CMD_ATC_INV (0x40) naming {@link #VSID}. */
    private static final long ATC_INV_VSID = 0x40 | (VSID << 32);
    /** CMD_TLBI_NH_ASID (0x11), ASID 5, with a guest VMID 0x99 the host must replace. */
    private static final long TLBI_NH_ASID = 0x11 | (0x99L << 32) | (0x5L << 48);

    private final HwHostRig rig = new HwHostRig();
    private final Iommufd host = rig.iommufd;
    private final GuestMemory ramB = GuestMemory.allocate(RAM_B, 1 << 20);
    private final IommufdFile a = host.open();
    private final IommufdFile b = host.open();
    private final UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(32 + 4 * 16));
    private final IommuHwptInvalidate header = new IommuHwptInvalidate();
    private final int devA = host.bindDevice(0, PSID_A);
    private final int devB = host.bindDevice(0, PSID_B);

    @AfterEach
    void close()
    {
        b.close();
        a.close();
        rig.close();
    }

    /** A's objects: an S2 parent, a CMDQV vIOMMU, a vDEVICE, HW queue 0 (enabled) and a vEVENTQ. */
    private final class Owner
    {
        final int s2 = a.allocNestParent(devA);
        final int viommu = a.allocViommu(ViommuType.TEGRA241_CMDQV, devA, s2);
        final int vdevice = a.allocVdevice(viommu, devA, VSID);
        final int hwQueue;
        final int veventq;

        Owner()
        {
            a.mapGuestMemory(rig.guest);
            hwQueue = a.allocHwQueue(viommu, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 0, RING_A, 0x100);
            veventq = a.allocVeventq(viommu, Veventq.TYPE_TEGRA241_CMDQV, 4);
            a.writeHwQueueConfig(hwQueue, 1);
            rig.run(1);
        }
    }

    private int invalidate(final IommufdFile file, final int viommuId, final int count)
    {
        header.wrap(bytes, 0);
        header.hwptId(viommuId).dataType(Iommufd.INVALIDATE_DATA_ARM_SMMUV3).entryLen(16).entryNum(count).reserved(0);
        return file.invalidate(header, bytes, 32);
    }

    private void entry(final int i, final long dw0)
    {
        bytes.putLong(32 + i * 16, dw0, ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(32 + i * 16 + 8, 0, ByteOrder.LITTLE_ENDIAN);
    }

    private static void assertEnoent(final String field, final int id, final Executable call)
    {
        final IommufdException e = assertThrows(IommufdException.class, call);
        assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(field + "=" + id), "message names " + field + "=" + id + ": " + e.getMessage());
    }

    @Test
    void everyCallGivenAnotherContextsIdIsEnoentNamingItAndTheOwnerKeepsWorking()
    {
        final Owner owner = new Owner();
        final int vmid = host.viommu(owner.viommu).vmid();
        b.mapGuestMemory(ramB);
        final int s2b = b.allocNestParent(devB);
        final int before = rig.count;

        assertEnoent("hwpt_id", owner.s2, () -> b.allocViommu(ViommuType.TEGRA241_CMDQV, devB, owner.s2));
        assertEnoent("dev_id", 999, () -> b.allocViommu(ViommuType.TEGRA241_CMDQV, 999, owner.s2)); // dev_id first, as the kernel
        assertEnoent("viommu_id", owner.viommu, () -> b.allocVdevice(owner.viommu, devB, 0x22));
        assertEnoent("viommu_id", owner.viommu, () -> b.allocHwQueue(owner.viommu, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 1, RING_B, 0x100));
        assertEnoent("viommu_id", owner.viommu, () -> b.allocVeventq(owner.viommu, Veventq.TYPE_TEGRA241_CMDQV, 4));
        assertEnoent("viommu_id", owner.viommu, () -> b.viommu(owner.viommu));
        assertEnoent("hw_queue_id", owner.hwQueue, () -> b.hwQueueRegisters(owner.hwQueue));
        assertEnoent("hw_queue_id", owner.hwQueue, () -> b.writeHwQueueConfig(owner.hwQueue, 0));
        assertEnoent("hw_queue_id", owner.hwQueue, () -> b.hwQueueStatus(owner.hwQueue));
        assertEnoent("veventq_id", owner.veventq, () -> b.readVevent(owner.veventq, new UnsafeBuffer(new byte[64]), 0));
        for (final int id : new int[] {owner.hwQueue, owner.veventq, owner.vdevice, owner.viommu, owner.s2})
        {
            assertEnoent("id", id, () -> b.destroy(id));
        }
        // Nor the other way round, and a device is not an object either context may destroy.
        assertEnoent("hwpt_id", s2b, () -> a.allocViommu(ViommuType.TEGRA241_CMDQV, devA, s2b));
        assertEnoent("id", s2b, () -> a.destroy(s2b));
        assertEnoent("id", devA, () -> a.destroy(devA));

        entry(0, ATC_INV_VSID);
        assertEquals(-Errno.ENOENT.value(), invalidate(b, owner.viommu, 1));
        assertEquals(0, header.entryNum(), "nothing handled");
        assertEquals(-Errno.ENOENT.value(), b.reinstallSte(owner.viommu, VSID));
        assertEquals(before, rig.count, "no command reached the SMMU from B");

        // The owner's objects are untouched: its invalidation reaches the SMMU translated ...
        entry(0, ATC_INV_VSID);
        entry(1, TLBI_NH_ASID);
        assertEquals(0, invalidate(a, owner.viommu, 2));
        assertEquals(2, header.entryNum());
        assertEquals(before + 3, rig.count, "two entries and the host's CMD_SYNC");
        assertEquals(0x40 | (PSID_A << 32), rig.dw0[before], "vSID -> A's pSID");
        assertEquals(0x11 | ((long)vmid << 32) | (0x5L << 48), rig.dw0[before + 1], "A's VMID");
        assertEquals(0x46, rig.opcode(before + 2));
        assertEquals(0, a.reinstallSte(owner.viommu, VSID));

        // ... its HW queue still runs in its RAM ...
        final int ran = rig.count;
        assertEquals(1, a.hwQueueStatus(owner.hwQueue), "still enabled");
        final QueueRegisters registers = a.hwQueueRegisters(owner.hwQueue);
        rig.put(RING_A, 4, 0, ATC_INV_VSID, 0);
        rig.put(RING_A, 4, 1, 0x46, 0);
        registers.putProdRelease(2);
        rig.run(1);
        assertEquals(2, registers.getConsAcquire());
        assertEquals(ran + 2, rig.count);
        assertEquals(0x40 | (PSID_A << 32), rig.dw0[ran], "the SID slot still translates");
        // ... and its vEVENTQ, vDEVICE and S2 parent are still A's.
        assertEquals(0, a.readVevent(owner.veventq, new UnsafeBuffer(new byte[64]), 0), "no event pending");
        assertEquals(owner.s2, a.viommu(owner.viommu).parent().id());
        assertEquals(1, a.viommu(owner.viommu).vdevices().size());
        assertTrue(a.owns(owner.vdevice));
        assertFalse(b.owns(owner.vdevice));
    }

    @Test
    void eachContextAllocatesHwQueuesInItsOwnMapping()
    {
        final Owner owner = new Owner();
        final int s2 = b.allocNestParent(devB);
        final int v = b.allocViommu(ViommuType.TEGRA241_CMDQV, devB, s2);
        final IommufdException none = assertThrows(IommufdException.class,
            () -> b.allocHwQueue(v, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 0, RING_B, 0x100));
        assertEquals(Errno.EFAULT, none.errno());
        assertTrue(none.getMessage().contains("none mapped"), none.getMessage());
        b.mapGuestMemory(ramB);
        final IommufdException other = assertThrows(IommufdException.class,
            () -> b.allocHwQueue(v, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 0, RING_A + 0x1000, 0x100));
        assertEquals(Errno.EFAULT, other.errno(), "A's RAM is not mapped in B: " + other.getMessage());
        final int q = b.allocHwQueue(v, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 0, RING_B, 0x100);
        assertTrue(b.owns(q));
        // A's later allocation still lands in A's RAM.
        assertNotEquals(0, a.allocHwQueue(owner.viommu, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 1, RING_A + 0x100, 0x100));
    }

    @Test
    void closeDestroysWhatTheContextOwnsAndFreesItsVintfsSidSlotsAndVmidsForTheOther()
    {
        final Owner owner = new Owner();
        // A second HW queue: close must destroy index 1 before index 0 and both before the vIOMMU.
        final int q1 = a.allocHwQueue(owner.viommu, Iommufd.HW_QUEUE_TYPE_TEGRA241_CMDQV, 1, RING_A + 0x100, 0x100);
        final int s2a = a.allocNestParent(devA);
        a.allocViommu(ViommuType.TEGRA241_CMDQV, devA, s2a);
        a.allocViommu(ViommuType.TEGRA241_CMDQV, devA, s2a);
        final int vmidA = host.viommu(owner.viommu).vmid();
        assertTrue(host.vmids(0).isAllocated(vmidA));

        final int s2b = b.allocNestParent(devB);
        final IommufdException full = assertThrows(IommufdException.class, () -> b.allocViommu(ViommuType.TEGRA241_CMDQV, devB, s2b));
        assertEquals(Errno.ENOSPC, full.errno(), "A holds the 3 guest VINTFs: " + full.getMessage());
        final int armB = b.allocViommu(ViommuType.ARM_SMMUV3, devB, s2b);
        final IommufdException taken = assertThrows(IommufdException.class, () -> b.allocVdevice(armB, devA, VSID));
        assertEquals(Errno.EEXIST, taken.errno(), "devA is in A's vDEVICE: " + taken.getMessage());

        a.close();

        for (int v = 1; v <= 3; v++)
        {
            assertEquals(0, rig.cmdqv().vintfConfig(v), "VINTF " + v + " disabled");
        }
        assertEquals(0, rig.cmdqv().sidMatch(1, 0), "A's SID slot cleared");
        for (final int q : new int[] {2, 3})
        {
            assertEquals(0, rig.cmdqv().cmdqAlloc(q) & CmdqvLayout.cmdqAlloc(0, 0, true), "VCMDQ " + q + " not ALLOCATED");
        }
        assertFalse(host.vmids(0).isAllocated(vmidA), "A's VMID " + vmidA + " freed");
        for (final int id : new int[] {owner.hwQueue, q1, owner.veventq, owner.vdevice, owner.viommu, owner.s2, s2a})
        {
            assertEquals(null, host.objectAt(id), "id " + id + " destroyed");
            assertFalse(a.owns(id));
        }
        assertEquals(Errno.EBADF, assertThrows(IommufdException.class, () -> a.allocNestParent(devA)).errno());
        entry(0, ATC_INV_VSID);
        assertEquals(-Errno.ENOENT.value(), invalidate(a, owner.viommu, 1));
        a.close();

        // B gets every VINTF, and A's device with a SID slot, VMIDs from the freed space.
        b.destroy(armB);
        final int v1 = b.allocViommu(ViommuType.TEGRA241_CMDQV, devB, s2b);
        b.allocViommu(ViommuType.TEGRA241_CMDQV, devB, s2b);
        b.allocViommu(ViommuType.TEGRA241_CMDQV, devB, s2b);
        b.allocVdevice(v1, devA, VSID);
        assertEquals((int)PSID_A, rig.cmdqv().sidReplace(1, 0));
        assertEquals((int)(VSID << 1) | 1, rig.cmdqv().sidMatch(1, 0));
        // S2_DOMAIN VMIDs come lowest-free from 1: A's parents took 1 and 2, B's 3; A's close freed 1 and 2.
        assertEquals(1, vmidA);
        final int reused = b.allocNestParent(devA);
        assertEquals(1, ((NestParentDomain)host.objectAt(reused)).vmid(), "A's freed VMID is given again");
    }

    @Test
    void warmInvalidateThroughAContextAllocatesNothing()
    {
        final MainCmdqRig smmu = new MainCmdqRig(0, HostCmdqStrategy.LINUX_LOCKFREE, CompletionWait.WRITE_BACK, WaitPolicy.DEFAULT_TIMEOUT_NS);
        final Iommufd plain = new Iommufd(VmidPolicy.S2_DOMAIN, 16, smmu.queue);
        try (IommufdFile mine = plain.open(); IommufdFile other = plain.open())
        {
            smmu.record = false;
            final int dev = plain.bindDevice(0, 0x100);
            final int v = mine.allocViommu(ViommuType.ARM_SMMUV3, dev, mine.allocNestParent(dev));
            mine.allocVdevice(v, dev, 0x8);
            final int foreign = other.allocViommu(ViommuType.ARM_SMMUV3, dev, other.allocNestParent(dev));
            entry(0, 0x40 | (0x8L << 32));
            entry(1, 0x12);
            entry(2, 0x30);
            entry(3, 0x05 | (0x8L << 32));
            final int[] failures = new int[2];
            final Runnable loop = () ->
            {
                for (int call = 0; call < 2_000; call++)
                {
                    if (invalidate(mine, v, 1 + (call & 3)) != 0)
                    {
                        failures[0]++;
                    }
                    if (invalidate(mine, foreign, 1) != -Errno.ENOENT.value())
                    {
                        failures[1]++;
                    }
                }
            };
            long allocated = -1;
            for (int attempt = 0; attempt < 3 && allocated != 0; attempt++)
            {
                allocated = AllocationProbe.bytesOnceWarm(loop, 100, 3);
            }
            assertEquals(0, allocated);
            assertEquals(0, failures[0], "own vIOMMU: every call succeeds");
            assertEquals(0, failures[1], "the other context's vIOMMU: every call ENOENT");
            assertNotEquals(0, smmu.executed, "the commands reached the main CMDQ");
        }
        finally
        {
            plain.close();
            smmu.close();
        }
    }
    /**
     * One thread invalidates through A, lock-free, over and over: A's long-lived vIOMMU must always
     * succeed (every entry handled) and the vIOMMU B created last must always be ENOENT. Meanwhile the
     * set-up thread keeps allocating and destroying vIOMMUs in both contexts, so both ownership tables
     * and the host's object array are republished thousands of times. A lost or leaked ownership update
     * fails a call. Rounds: {@code cmdq.stress.ops} / 2000 (CI size 500); no randomness.
     */
    @Test
    @Tag("stress")
    void ownershipRepublishedUnderSetUpIsNeverLostOrLeakedToTheHotPath() throws InterruptedException
    {
        final int rounds = (int)Math.max(100, Long.getLong("cmdq.stress.ops", 1_000_000) / 2000);
        final MainCmdqRig smmu = new MainCmdqRig(0, HostCmdqStrategy.LINUX_LOCKFREE, CompletionWait.WRITE_BACK, WaitPolicy.DEFAULT_TIMEOUT_NS);
        smmu.record = false;
        final Iommufd plain = new Iommufd(VmidPolicy.S2_DOMAIN, 16, smmu.queue);
        final IommufdFile mine = plain.open();
        final IommufdFile other = plain.open();
        try
        {
            final int dev = plain.bindDevice(0, 0x100);
            final int s2 = mine.allocNestParent(dev);
            final int v = mine.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
            mine.allocVdevice(v, dev, 0x8);
            final int s2b = other.allocNestParent(dev);
            final AtomicInteger foreign = new AtomicInteger(other.allocViommu(ViommuType.ARM_SMMUV3, dev, s2b));
            final AtomicInteger done = new AtomicInteger();
            final AtomicReference<String> failure = new AtomicReference<>();
            final long[] calls = new long[1];
            final Thread hot = new Thread(() ->
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(32 + 16));
                buffer.putLong(32, 0x40 | (0x8L << 32), ByteOrder.LITTLE_ENDIAN);
                final IommuHwptInvalidate h = new IommuHwptInvalidate();
                h.wrap(buffer, 0);
                while (done.get() == 0 && failure.get() == null)
                {
                    h.hwptId(v).dataType(Iommufd.INVALIDATE_DATA_ARM_SMMUV3).entryLen(16).entryNum(1).reserved(0);
                    final int own = mine.invalidate(h, buffer, 32);
                    if (own != 0 || h.entryNum() != 1)
                    {
                        failure.compareAndSet(null, "call " + calls[0] + ": own vIOMMU " + v + " returned " + own + ", handled " + h.entryNum());
                    }
                    final int id = foreign.get();
                    h.hwptId(id).entryNum(1);
                    final int leaked = mine.invalidate(h, buffer, 32);
                    if (leaked != -Errno.ENOENT.value())
                    {
                        failure.compareAndSet(null, "call " + calls[0] + ": B's vIOMMU " + id + " through A returned " + leaked);
                    }
                    calls[0]++;
                    // The sync wait above already drives the device; yield so the set-up thread gets the core.
                    Thread.yield();
                }
            }, "iommufd-file-hot");
            hot.start();
            for (int round = 0; round < rounds && failure.get() == null; round++)
            {
                final int x = mine.allocViommu(ViommuType.ARM_SMMUV3, dev, s2);
                final int y = other.allocViommu(ViommuType.ARM_SMMUV3, dev, s2b);
                final int previous = foreign.getAndSet(y);
                other.destroy(previous);
                mine.destroy(x);
            }
            done.set(1);
            hot.join(30_000);
            assertFalse(hot.isAlive(), "hot thread stopped");
            assertEquals(null, failure.get());
            assertTrue(calls[0] > 0, "the hot thread ran");
        }
        finally
        {
            other.close();
            mine.close();
            plain.close();
            smmu.close();
        }
    }
}
