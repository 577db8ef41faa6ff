package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The proof of issue 5's error flow (vcmdq-viommu.md §1.9), end to end over the real host and hardware
 * models: a forbidden command on guest VCMDQ 0 halts only that queue (VCMDQ 1 and the main CMDQ, reached
 * through the trapped emulated CMDQ, keep working); the host posts the error map as a vEVENT; the VMM's
 * {@link Vsmmu#pollEvents()} turns it into the emulated error maps and one interrupt; the guest's
 * interrupt handler reads the maps through trapped reads, then CONS.ERR and GERROR through the mapped
 * page, patches the slot with a CMD_SYNC and writes GERRORN — all without an exit; traffic resumes and
 * every command is accounted for: each tagged TLBI executed exactly once, in its queue's order, the
 * forbidden one never; teardown in the host's order.
 */
class CmdqvErrorFlowTest
{
    private static final long SMMU_RING_GPA = CmdqvRig.RAM_BASE + 0x1_0000L;
    private static final int TLBI_NH_ASID = 0x11;
    private static final int TLBI_NH_ALL = 0x10;  // not on a guest VCMDQ's allow-list (§2)

    private final CmdqvRig rig = new CmdqvRig().mapCmdqv(8);
    private final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));

    @AfterEach
    void close()
    {
        rig.close();
    }

    /** A TLBI_NH_ASID tagged by its ASID, with a guest VMID the hardware must replace. */
    private static long tlbi(final int tag)
    {
        return TLBI_NH_ASID | (0x3L << 32) | ((long)tag << 48);
    }

    private int issue(final LinuxCmdqIssuer issuer, final boolean sync, final long... dword0s)
    {
        for (int i = 0; i < dword0s.length; i++)
        {
            commands.putLong(16 * i, dword0s[i], ByteOrder.LITTLE_ENDIAN);
            commands.putLong(16 * i + 8, 0, ByteOrder.LITTLE_ENDIAN);
        }
        return issuer.issue(commands, 0, dword0s.length, sync);
    }

    /** Index of the one executed command with dword0 {@code d0}; fails when it ran zero or several times. */
    private int executedOnce(final long d0)
    {
        int at = -1;
        for (int i = 0; i < rig.count; i++)
        {
            if (rig.dw0[i] == d0)
            {
                assertEquals(-1, at, "0x" + Long.toHexString(d0) + " executed twice");
                at = i;
            }
        }
        assertTrue(at >= 0, "0x" + Long.toHexString(d0) + " never executed");
        return at;
    }

    @Test
    void aForbiddenCommandHaltsOnlyItsQueueReachesTheGuestAndTrafficResumesWithNothingLost()
    {
        rig.guestAllocate(0);
        rig.guestAllocate(1);
        rig.guestEnable(0);
        rig.guestEnable(1);
        final QueueRegisters q0 = rig.vsmmu.vcmdqRegisters(0);
        final QueueRegisters q1 = rig.vsmmu.vcmdqRegisters(1);
        final LinuxCmdqIssuer g0 = VintfPage0Test.guestIssuer(rig, 0, q0);
        final LinuxCmdqIssuer g1 = VintfPage0Test.guestIssuer(rig, 1, q1);
        // The guest's emulated SMMU CMDQ (trapped) for everything else: it reaches the main CMDQ.
        rig.vsmmu.mmioWrite(SmmuPage0.CMDQ_BASE, SmmuPage0.BASE_RA | SMMU_RING_GPA | 8, 8);
        rig.vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, 0, 4);
        rig.vsmmu.mmioWrite(SmmuPage0.CMDQ_CONS, 0, 4);
        rig.vsmmu.mmioWrite(SmmuPage0.CR0, SmmuPage0.CR0_CMDQEN, 4);
        final LinuxCmdqIssuer trapped = new LinuxCmdqIssuer(rig.memory.ring(SMMU_RING_GPA, 8), rig.vsmmu.cmdqRegisters(),
            CmdSyncCompletion.LINUX, CompletionWait.CONS_POLL, WaitPolicy.withTimeout(WaitPolicy.DEFAULT_TIMEOUT_NS));

        // 1. Traffic on VCMDQ 0: slots 0..3.
        assertEquals(IssueStatus.OK, issue(g0, true, tlbi(0x100), tlbi(0x101), tlbi(0x102)));
        // 2. A forbidden command in slot 5, between two good ones, published without a sync.
        assertEquals(IssueStatus.OK, issue(g0, false, tlbi(0x103), TLBI_NH_ALL, tlbi(0x104)));
        rig.run(4);
        final int cons = q0.getConsAcquire();
        assertEquals(5, cons & 0xFFFFF, "VCMDQ 0 stopped on the forbidden entry");
        assertEquals(CommandError.ILL_ACCESS, (cons >>> 24) & 0x7F, "CONS.ERR");
        assertEquals(1, (q0.getGerrorAcquire() ^ q0.getGerrornAcquire()) & 1, "GERROR.CMDQ_ERR active");

        // 3. Only that queue halted: VCMDQ 1 and the main CMDQ (through the trapped CMDQ) still work.
        assertEquals(IssueStatus.OK, issue(g1, true, tlbi(0x200), tlbi(0x201)));
        assertEquals(IssueStatus.OK, issue(trapped, true, tlbi(0x300)));
        assertEquals(0, q1.getGerrorAcquire() ^ q1.getGerrornAcquire());
        assertEquals(5, q0.getConsAcquire() & 0xFFFFF, "VCMDQ 0 still halted");

        // 4. The VMM learns of it only through the vEVENTQ.
        assertEquals(0, rig.read(CmdqvAperture.VI_ERR_MAP), "nothing before the event is read");
        assertEquals(0, rig.pulses);
        final long trapsAtPoll = rig.traps();
        assertEquals(1, rig.vsmmu.pollEvents());
        assertEquals(0, rig.vsmmu.pollEvents(), "one event");
        assertEquals(trapsAtPoll, rig.traps(), "the event loop is the VMM's own work, not an exit");
        assertEquals(1, rig.pulses, "one interrupt");
        assertEquals(1, rig.region.counters().interrupts().get());
        assertEquals(0, rig.region.counters().lostEvents().get());

        // 5. The guest's interrupt handler: error maps through trapped reads...
        final long trapsBefore = rig.traps();
        assertEquals(1, rig.read(CmdqvAperture.VI_ERR_MAP), "VINTF0");
        assertEquals(0, rig.read(CmdqvAperture.VI_ERR_MAP + 4));
        assertEquals(1L, rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP, 8), "LVCMDQ_ERR_MAP_64(0)");
        assertEquals(0L, rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP + 8, 8));
        assertEquals(1, rig.read(CmdqvAperture.CMDQ_ERR_MAP), "global map mirrors it (one VINTF exposed)");
        for (int w = 1; w < 4; w++)
        {
            assertEquals(0, rig.read(CmdqvAperture.CMDQ_ERR_MAP + 4 * w));
        }
        assertEquals(trapsBefore + 8, rig.traps(), "each map read was an exit");
        // ...then the queue itself through the mapped page: no exit.
        final int gerror = q0.getGerrorAcquire();
        final int errCons = q0.getConsAcquire();
        assertEquals(CommandError.ILL_ACCESS, (errCons >>> 24) & 0x7F);
        rig.put(0, errCons & 0xFFFFF, VintfPage0Test.VCMDQ_SYNC_DW0, 0);  // skip: the slot becomes a CMD_SYNC
        q0.putGerrornRelease(gerror);
        assertEquals(trapsBefore + 8, rig.traps(), "the repair made no exit");

        // 6. Traffic resumes.
        rig.run(4);
        assertEquals(7, q0.getConsAcquire() & 0xFFFFF, "past the patched slot and the command after it");
        assertEquals(0, q0.getGerrorAcquire() ^ q0.getGerrornAcquire(), "no error active (CONS.ERR keeps the last code)");
        assertEquals(IssueStatus.OK, issue(g0, true, tlbi(0x105)));
        assertEquals(IssueStatus.OK, issue(g1, true, tlbi(0x202)));
        g0.close();
        g1.close();
        trapped.close();

        // 7. Nothing lost: every tagged command exactly once, in its queue's order; the forbidden one never.
        final long vmid = rig.hostVmid();
        final int[] q0Tags = {0x100, 0x101, 0x102, 0x103, 0x104, 0x105};
        int previous = -1;
        for (final int tag : q0Tags)
        {
            final int at = executedOnce(TLBI_NH_ASID | (vmid << 32) | ((long)tag << 48));
            assertTrue(at > previous, "tag 0x" + Integer.toHexString(tag) + " in order");
            previous = at;
        }
        // Nothing but VCMDQ 0 had work when it resumed, so its patched slot ran right before 0x104.
        final int patched = executedOnce(TLBI_NH_ASID | (vmid << 32) | (0x104L << 48)) - 1;
        assertEquals(VintfPage0Test.VCMDQ_SYNC_DW0, rig.dw0[patched], "the patched sync ran in the forbidden one's place");
        previous = -1;
        for (final int tag : new int[] {0x200, 0x201, 0x202})
        {
            final int at = executedOnce(TLBI_NH_ASID | (vmid << 32) | ((long)tag << 48));
            assertTrue(at > previous);
            previous = at;
        }
        executedOnce(TLBI_NH_ASID | (vmid << 32) | (0x300L << 48));
        int vcmdqSyncs = 0;
        int tlbis = 0;
        for (int i = 0; i < rig.count; i++)
        {
            assertFalse((rig.dw0[i] & 0xFF) == TLBI_NH_ALL, "the forbidden command never executed");
            vcmdqSyncs += rig.dw0[i] == VintfPage0Test.VCMDQ_SYNC_DW0 ? 1 : 0;
            tlbis += (rig.dw0[i] & 0xFF) == TLBI_NH_ASID ? 1 : 0;
        }
        assertEquals(10, tlbis, "6 on VCMDQ 0, 3 on VCMDQ 1, 1 through the main CMDQ");
        assertEquals(2 + 1 + 2, vcmdqSyncs, "VCMDQ 0: 2 issued + the patched one; VCMDQ 1: 2");

        // 8. Teardown in the host's order: HW queues descending, then the vEVENTQ.
        rig.vsmmu.closeCmdqv();
        assertEquals(2, rig.region.counters().hwQueueFrees().get());
        assertEquals(0, rig.region.counters().hostRefusals().get());
        assertEquals(0, rig.smmu.cmdqv().cmdqAlloc(2) & 1);
        assertEquals(0, rig.smmu.cmdqv().cmdqAlloc(3) & 1);
    }
}
