package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.AtcInvEncoder;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The VINTF rules the engine applies to each VCMDQ entry: the guest allow-list (a forbidden command halts
 * only its queue with CERROR_ILL_ACCESS and the error maps; repair and acknowledge resume with nothing
 * lost), VMID override and SID replacement (compared with words built here from the spec's field
 * positions, vcmdq-viommu.md §2), unmatched vSIDs, host-owned queues, fetch aborts and enable rules.
 */
class VcmdqPortTest
{
    private static final int VMID = 0x0007;
    private static final long TLBI_NH_ALL = 0x10;
    private static final long TLBI_NH_ASID = 0x11;
    private static final long ATC_INV = 0x40;
    private static final long CMD_SYNC_NONE = 0x46;

    private static long tlbiAsid(final int asid)
    {
        return TLBI_NH_ASID | ((long)asid << 48);
    }

    private final List<int[]> interrupts = new ArrayList<>();

    private HwRig guestRig()
    {
        final HwRig rig = new HwRig();
        rig.vintf(1, VMID, false);
        rig.cmdqv.errorListener((vintf, lvcmdq, vcmdq) -> interrupts.add(new int[] {vintf, lvcmdq, vcmdq}));
        return rig;
    }

    @Test
    void aForbiddenCommandHaltsOnlyItsQueueAndRepairPlusAcknowledgeLosesNothing()
    {
        try (HwRig rig = guestRig())
        {
            final TestRing q2 = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            final TestRing q3 = rig.vcmdq(1, 1, HwRig.GUEST_BASE + 0x1000, 4);
            q2.push(tlbiAsid(0x201), 0).push(TLBI_NH_ALL, 0).push(tlbiAsid(0x202), 0);
            q3.push(tlbiAsid(0x301), 0);
            rig.main.push(tlbiAsid(0x001), 0);
            rig.run(3);

            assertEquals(1, q2.cons(), "CONS stays on the forbidden entry");
            assertEquals(CommandError.ILL_ACCESS, q2.err());
            assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(
                q2.registers.getGerrorAcquire(), q2.registers.getGerrornAcquire()));
            assertTrue(q3.drained(), "the other VCMDQ ran");
            assertTrue(rig.main.drained(), "the main CMDQ ran");
            assertEquals(1 << 2, rig.cmdqv.cmdqErrMap(0), "CMDQ_ERR_MAP bit of global VCMDQ 2");
            assertEquals(1, rig.cmdqv.lvcmdqErrMap(1, 0), "LVCMDQ_ERR_MAP bit of logical queue 0");
            assertEquals(1 << 1, rig.cmdqv.viErrMap(0), "VI_ERR_MAP bit of VINTF 1");
            assertEquals(1, interrupts.size());
            assertEquals(List.of(1, 0, 2), List.of(interrupts.get(0)[0], interrupts.get(0)[1], interrupts.get(0)[2]));

            // The others keep flowing while q2 stays halted, whatever is pushed to it.
            q2.push(tlbiAsid(0x203), 0);
            q3.push(tlbiAsid(0x302), 0);
            rig.main.push(tlbiAsid(0x002), 0);
            rig.run(3);
            assertTrue(q3.drained() && rig.main.drained());
            assertEquals(1, q2.cons());
            assertEquals(5, rig.exec.count, "0x201, 0x301, 0x001, 0x302, 0x002");

            // The guest's ISR: replace the entry with a CMD_SYNC (CS=NONE), then GERRORN := GERROR.
            rig.guest.buffer().putLong(q2.slotOffset(1), CMD_SYNC_NONE, ByteOrder.LITTLE_ENDIAN);
            rig.guest.buffer().putLong(q2.slotOffset(1) + 8, 0, ByteOrder.LITTLE_ENDIAN);
            q2.acknowledge();
            rig.run(2);
            assertTrue(q2.drained());
            final List<Integer> q2Asids = new ArrayList<>();
            for (int i = 0; i < rig.exec.count; i++)
            {
                if ((rig.exec.asid(i) >>> 8) == 2)
                {
                    q2Asids.add(rig.exec.asid(i));
                }
            }
            assertEquals(List.of(0x201, 0x202, 0x203), q2Asids, "nothing of q2 lost or repeated");
            assertEquals(0, rig.cmdqv.cmdqErrMap(0), "error maps cleared once acknowledged");
            assertEquals(0, rig.cmdqv.lvcmdqErrMap(1, 0));
            assertEquals(0, rig.cmdqv.viErrMap(0));
        }
    }

    @Test
    void everyCommandOutsideTheAllowListIsIllAccessOnAGuestQueue()
    {
        final long[] forbidden = {
            0x10, 0x13, 0x30, 0x03 | (1L << 32), 0x04, 0x05, 0x06, 0x01, 0x41, 0x44, 0x45,
            0x20, 0x28, 0x2A,
            0x46 | (1L << 12), 0x46 | (2L << 12),  // CMD_SYNC with CS=IRQ / SEV
        };
        for (final long dword0 : forbidden)
        {
            try (HwRig rig = guestRig())
            {
                final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
                q.push(dword0, 0);
                rig.run(1);
                assertEquals(CommandError.ILL_ACCESS, q.err(), "dword0=0x" + Long.toHexString(dword0));
                assertEquals(0, rig.exec.count);
            }
        }
    }

    @Test
    void el3TlbisAreIllegalBeforeTheAllowListIsConsulted()
    {
        // TLBI_EL3_ALL / TLBI_EL3_VA exist only on a Secure Command queue (IHI0070 §4.4.2.5-6): on any
        // Non-secure queue, a guest VCMDQ included, they are unknown commands (CERROR_ILL), not forbidden ones.
        for (final long dword0 : new long[]{0x18, 0x1A})
        {
            try (HwRig rig = guestRig())
            {
                final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
                q.push(dword0, 0);
                rig.run(1);
                assertEquals(CommandError.ILL, q.err(), "dword0=0x" + Long.toHexString(dword0));
                assertEquals(0, rig.exec.count);
            }
        }
    }

    @Test
    void tlbisGetTheVintfVmidAndNothingElseChanges()
    {
        try (HwRig rig = guestRig())
        {
            final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
            new TlbiEncoder().wrap(scratch, 0, Opcode.TLBI_NH_VA).vmid(0x99).asid(0x1234).num(3).scale(2)
                .leaf(true).ttl(3).tg(1).addr(0x7F_FFAB_C000L);
            q.push(scratch.getLong(0, ByteOrder.LITTLE_ENDIAN), scratch.getLong(8, ByteOrder.LITTLE_ENDIAN));
            q.push(0x11 | (0xBEEFL << 32) | (0x55L << 48), 0);
            rig.run(1);

            // Spec positions: opcode 7:0, NUM 16:12, SCALE 24:20, VMID 47:32, ASID 63:48; LEAF 0, TTL 9:8,
            // TG 11:10, VA 63:12 — with VMID replaced by the VINTF's.
            assertEquals(2, rig.exec.count);
            assertEquals(0x12L | (3L << 12) | (2L << 20) | ((long)VMID << 32) | (0x1234L << 48), rig.exec.dw0[0]);
            assertEquals(1L | (3L << 8) | (1L << 10) | 0x7F_FFAB_C000L, rig.exec.dw1[0]);
            assertEquals(0x11L | ((long)VMID << 32) | (0x55L << 48), rig.exec.dw0[1]);
            assertEquals(0x99L, (q.dword0(0) >>> 32) & 0xFFFF, "guest memory keeps the guest's VMID");
        }
    }

    @Test
    void atcInvGetsThePhysicalSidOfTheMatchingSlot()
    {
        try (HwRig rig = guestRig())
        {
            rig.cmdqv.programSidSlot(1, 0, 0x10, 0xAAAA);
            rig.cmdqv.programSidSlot(1, 5, 0x21, 0x4321);
            rig.cmdqv.programSidSlot(2, 0, 0x21, 0x9999);
            final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
            new AtcInvEncoder().wrap(scratch, 0).sid(0x21).ssid(0x5).ssv(true).global(false).size(4).addr(0x1234_5000L);
            q.push(scratch.getLong(0, ByteOrder.LITTLE_ENDIAN), scratch.getLong(8, ByteOrder.LITTLE_ENDIAN));
            q.push(CMD_SYNC_NONE, 0);
            rig.run(1);

            // Spec positions: SSID 31:12, SSV 11, SID 63:32; SIZE 5:0, ADDR 63:12. Slot 5 of VINTF 1, not VINTF 2's.
            assertEquals(2, rig.exec.count);
            assertEquals(ATC_INV | (0x5L << 12) | (1L << 11) | (0x4321L << 32), rig.exec.dw0[0]);
            assertEquals(4L | 0x1234_5000L, rig.exec.dw1[0]);
            assertEquals(CMD_SYNC_NONE, rig.exec.dw0[1]);
            assertEquals(0x21L, q.dword0(0) >>> 32, "guest memory keeps the vSID");
        }
    }

    @Test
    void anAtcInvWhoseSidMatchesNoSlotHaltsTheQueueWithIllAccess()
    {
        final long[] vsids = {0x22, 0x10_0021L, 0xFFFF_FFFFL};
        for (final long vsid : vsids)
        {
            try (HwRig rig = guestRig())
            {
                rig.cmdqv.programSidSlot(1, 0, 0x21, 0x4321);
                final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
                q.push(ATC_INV | (vsid << 32), 0);
                rig.run(1);
                assertEquals(CommandError.ILL_ACCESS, q.err(), "vsid=0x" + Long.toHexString(vsid));
                assertEquals(0, q.cons());
                assertEquals(0, rig.exec.count);
                assertEquals(1, interrupts.size());
            }
            interrupts.clear();
        }
    }

    @Test
    void aClearedSlotNoLongerMatches()
    {
        try (HwRig rig = guestRig())
        {
            rig.cmdqv.programSidSlot(1, 2, 0x21, 0x4321);
            final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            q.push(ATC_INV | (0x21L << 32), 0);
            rig.run(1);
            assertEquals(1, rig.exec.count);
            rig.cmdqv.clearSidSlot(1, 2);
            q.push(ATC_INV | (0x21L << 32), 0);
            rig.run(1);
            assertEquals(CommandError.ILL_ACCESS, q.err());
            assertEquals(1, rig.exec.count);
        }
    }

    @Test
    void aHostOwnedVintfTakesEveryCommandUnchanged()
    {
        try (HwRig rig = new HwRig())
        {
            rig.vintf(0, VMID, true);
            final TestRing q = rig.vcmdq(0, 1, HwRig.GUEST_BASE, 4);
            q.push(TLBI_NH_ALL | (0x33L << 32), 0);
            q.push(TLBI_NH_ASID | (0x44L << 32), 0);
            q.push(ATC_INV | (0x77L << 32), 0);
            q.push(0x03 | (0x77L << 32), 1);     // CFGI_STE
            q.push(0x46 | (2L << 12), 0);        // CMD_SYNC CS=SEV: completes without a write-back
            rig.run(1);
            assertEquals(5, rig.exec.count);
            assertEquals(TLBI_NH_ALL | (0x33L << 32), rig.exec.dw0[0]);
            assertEquals(TLBI_NH_ASID | (0x44L << 32), rig.exec.dw0[1]);
            assertEquals(ATC_INV | (0x77L << 32), rig.exec.dw0[2]);
            assertTrue(q.drained());
        }
    }

    @Test
    void anExecutionErrorHaltsTheQueueWithThatCode()
    {
        try (HwRig rig = guestRig())
        {
            final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            rig.exec.failAt = 1;
            rig.exec.failWith = CommandError.ATC_INV_SYNC;
            q.push(tlbiAsid(1), 0).push(CMD_SYNC_NONE, 0).push(tlbiAsid(2), 0);
            rig.run(2);
            assertEquals(1, q.cons());
            assertEquals(CommandError.ATC_INV_SYNC, q.err());
            q.acknowledge();
            rig.run(1);
            assertTrue(q.drained(), "the sync is retried after the acknowledge");
            assertEquals(3, rig.exec.count);
        }
    }

    @Test
    void aBaseOutsideGuestMemoryIsAFetchAbortOnEnableAndAfterEachAcknowledge()
    {
        try (HwRig rig = guestRig())
        {
            final long outside = HwRig.GUEST_BASE + HwRig.GUEST_BYTES - 0x80;  // 16 entries need 0x100 bytes
            final Vcmdq vcmdq = rig.map(1, 0, outside, 4);
            final TestRing q = new TestRing(rig.guest.buffer(), 0, vcmdq.registers(), 4);
            vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
            rig.run(1);
            assertTrue(vcmdq.isEnabled(), "the queue is enabled; it is the fetch that aborts");
            assertEquals(CommandError.ABT, q.err());
            assertEquals(0, q.cons());
            final int gerror = vcmdq.registers().getGerrorAcquire();
            assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(gerror, vcmdq.registers().getGerrornAcquire()));
            assertEquals(1, rig.cmdqv.lvcmdqErrMap(1, 0));
            assertEquals(1, interrupts.size());

            q.acknowledge();
            rig.run(1);
            assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(
                vcmdq.registers().getGerrorAcquire(), vcmdq.registers().getGerrornAcquire()), "aborts again");
            assertEquals(2, interrupts.size());
            assertEquals(0, rig.exec.count);
        }
    }

    @Test
    void aQueueWithNoMemoryAttachedIsAFetchAbort()
    {
        try (HwRig rig = guestRig())
        {
            final Vcmdq vcmdq = rig.map(1, 0, HwRig.GUEST_BASE, 4);
            vcmdq.attachMemory(null);
            vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
            rig.run(1);
            assertEquals(CommandError.ABT, (vcmdq.registers().getConsAcquire() >>> 24) & 0x7F);
        }
    }

    @Test
    void enablingAnUnallocatedQueueRaisesInitErrorAndStaysDisabled()
    {
        try (HwRig rig = guestRig())
        {
            final Vcmdq vcmdq = rig.map(1, 0, HwRig.GUEST_BASE, 4);
            rig.cmdqv.writeCmdqAlloc(vcmdq.index(), CmdqvLayout.cmdqAlloc(1, 0, false));
            vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
            rig.run(3);
            assertFalse(vcmdq.isEnabled());
            assertEquals(VcmdqLayout.CMDQ_INIT_ERR, GlobalError.active(
                vcmdq.registers().getGerrorAcquire(), vcmdq.registers().getGerrornAcquire()));

            // Fixed mapping + a fresh enable (CONFIG 0 then 1) starts it.
            vcmdq.registers().putGerrornRelease(vcmdq.registers().getGerrorAcquire());
            rig.cmdqv.writeCmdqAlloc(vcmdq.index(), CmdqvLayout.cmdqAlloc(1, 0, true));
            vcmdq.writeConfig(0);
            rig.run(1);
            vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
            rig.run(1);
            assertTrue(vcmdq.isEnabled());
        }
    }

    @Test
    void enablingUnderADisabledVintfOrCmdqvFails()
    {
        try (HwRig rig = guestRig())
        {
            final Vcmdq underDisabledVintf = rig.map(2, 0, HwRig.GUEST_BASE, 4);
            underDisabledVintf.writeConfig(VcmdqLayout.CMDQ_EN);
            rig.cmdqv.writeConfig(0);
            final Vcmdq underDisabledCmdqv = rig.map(1, 0, HwRig.GUEST_BASE + 0x1000, 4);
            underDisabledCmdqv.writeConfig(VcmdqLayout.CMDQ_EN);
            rig.run(2);
            assertFalse(underDisabledVintf.isEnabled());
            assertFalse(underDisabledCmdqv.isEnabled());
        }
    }

    @Test
    void disablingStopsConsumption()
    {
        try (HwRig rig = guestRig())
        {
            final TestRing q = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            final Vcmdq vcmdq = rig.cmdqv.vcmdq(2);
            vcmdq.writeConfig(0);
            rig.run(1);
            assertFalse(vcmdq.isEnabled());
            q.push(tlbiAsid(1), 0);
            rig.run(2);
            assertEquals(0, rig.exec.count);
            assertEquals(0, q.cons());
        }
    }
}
