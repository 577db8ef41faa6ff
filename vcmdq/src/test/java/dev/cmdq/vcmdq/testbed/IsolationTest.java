package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.host.Veventq;
import dev.cmdq.vcmdq.hw.cache.TlbEntryKind;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Isolation, on every path and in both engine modes: VM A and VM B share both physical SMMUs. A's
 * commands — forged VMIDs (B's own), a vSID A does not own (B's physical SID), forbidden opcodes —
 * never remove one of B's cache entries and never halt one of B's queues; A's forged-VMID commands act
 * on A's own entries only; then B's own commands do remove B's entries. Expected survivors come from the
 * test's book.
 */
class IsolationTest
{
    private static final int TLBI_NSNH_ALL = 0x30;

    /** Every path on its topology, plus the trapped path on upstream QEMU's one vSMMU per physical SMMU. */
    static Stream<Arguments> pathsAndModes()
    {
        return Stream.concat(
                Stream.of(GuestPath.values()).map(p -> Arguments.of(p, p.topology())),
                Stream.of(Arguments.of(GuestPath.TRAPPED_PER_COMMAND, TopologyKind.PER_PHYSICAL_SMMU)))
            .flatMap(a -> Stream.of(EngineMode.values()).map(m -> Arguments.of(a.get()[0], a.get()[1], m)));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("pathsAndModes")
    void vmACannotTouchVmBsEntriesOrQueues(final GuestPath path, final TopologyKind topology, final EngineMode mode)
    {
        try (TwoVms fixture = new TwoVms(path, topology, mode))
        {
            final Platform platform = fixture.platform;
            final Vm a = fixture.a;
            final Vm b = fixture.b;
            final CacheBook book = fixture.book;
            final int[] vmidA = {a.vmidOn(0), a.vmidOn(1)};
            final int vmidB0 = b.vmidOn(0);
            final int s0 = a.smmuOf(TwoVms.VSID0);
            // A's queue for vCPU 0 on vSMMU s0: LVCMDQ 0 direct, the emulated CMDQ trapped.
            final int queue = path.usesVcmdqs() ? 0 : Vm.EMULATED_CMDQ;
            final boolean[] reached = {true, topology == TopologyKind.FANNED_OUT};
            final Commands commands = new Commands();

            // Forged VMID (B's on SMMU 0): the host / the VINTF substitutes A's, so only A's entries go.
            commands.clear().put(Commands.nhAsid(vmidB0, TwoVms.ASID_CONTEXT), 0)
                .put(Commands.nhVa(vmidB0, TwoVms.ASID_RANGE), Commands.nhVaAddress(0x10000, true));
            assertEquals(IssueStatus.OK, a.issue(s0, 0, commands.buffer, 0, commands.count, true));
            book.removeTlb(e -> reached[e.smmu()] && e.vmid() == vmidA[e.smmu()] &&
                (e.kind() == TlbEntryKind.STAGE1 && e.asid() == TwoVms.ASID_CONTEXT ||
                 e.leaf() && e.covers(0x10000) &&
                 (e.kind() == TlbEntryKind.STAGE1 && e.asid() == TwoVms.ASID_RANGE || e.kind() == TlbEntryKind.STAGE1_GLOBAL)));
            book.assertExactly(platform, "forged VMID");

            // A vSID A does not own: B's physical SID 0x300, everything of it.
            final int unmatched = path.usesVcmdqs() ? platform.smmu(0).policy().unmatchedSidError() : CommandError.ILL;
            attack(platform, a, s0, queue, commands.clear().put(Commands.atcInv(TwoVms.PSID[1][0], 0, false), Commands.atcInvSpan(0, 52)),
                unmatched, "ATC_INV of B's pSID");
            // The same through the trapped queue as CFGI_CD (every path has it).
            attack(platform, a, s0, Vm.EMULATED_CMDQ, commands.clear().put(Commands.cfgiCd(TwoVms.PSID[1][0], TwoVms.SSID), 1),
                CommandError.ILL, "CFGI_CD of B's pSID");
            // Forbidden: stage-2 invalidation of B's VMID (no stage 2 offered; not on a VCMDQ's allow-list).
            final int forbidden = path.usesVcmdqs() ? platform.smmu(0).policy().forbiddenCommandError() : CommandError.ILL;
            attack(platform, a, s0, queue, commands.clear().put(Commands.TLBI_S12_VMALL | ((long)vmidB0 << 32), 0),
                forbidden, "TLBI_S12_VMALL of B's VMID");
            book.assertExactly(platform, "refused commands");

            // TLBI_NSNH_ALL: forbidden on a VCMDQ; trapped, the host turns it into TLBI_NH_ALL of A's own VMID.
            commands.clear().put(TLBI_NSNH_ALL, 0);
            if (path.usesVcmdqs())
            {
                attack(platform, a, s0, queue, commands, forbidden, "TLBI_NSNH_ALL");
            }
            else
            {
                assertEquals(IssueStatus.OK, a.issue(s0, 0, commands.buffer, 0, commands.count, true));
                book.removeTlb(e -> reached[e.smmu()] && e.vmid() == vmidA[e.smmu()] && (e.kind() & TlbEntryKind.NH) != 0);
            }
            book.assertExactly(platform, "after A's attacks");

            // B's queues never halted, and B's vEVENTQs (direct path) stayed empty.
            for (int s = 0; s < b.smmuCount(); s++)
            {
                assertFalse(b.hasCommandError(s, Vm.EMULATED_CMDQ), "B's emulated CMDQ on vSMMU " + s);
                for (int q = 0; q < b.smmu(s).vcmdqCount(); q++)
                {
                    assertFalse(b.hasCommandError(s, q), "B's VCMDQ " + q + " on vSMMU " + s);
                }
                if (path.usesVcmdqs())
                {
                    assertEquals(0, b.readVevent(s, new UnsafeBuffer(ByteBuffer.allocateDirect(Veventq.RECORD_BYTES)), 0));
                }
            }
            if (path.usesVcmdqs())
            {
                assertTrue(a.readVevent(s0, new UnsafeBuffer(ByteBuffer.allocateDirect(Veventq.RECORD_BYTES)), 0) > 0,
                    "A's VCMDQ errors reached A's vEVENTQ");
            }

            // B's own commands work and remove B's entries (on both vCPUs, so both of B's VCMDQs).
            final int[] vmidB = {b.vmidOn(0), b.vmidOn(1)};
            final UnmapRequest context = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(TwoVms.ASID_CONTEXT);
            final UnmapRequest atc = new UnmapRequest().op(UnmapOp.ATC_INV).sid(TwoVms.VSID0).size(0);
            for (int s = 0; s < b.smmuCount(); s++)
            {
                assertEquals(IssueStatus.OK, b.unmap(s, 1, context));
            }
            assertEquals(IssueStatus.OK, b.unmap(b.smmuOf(TwoVms.VSID0), 0, atc));
            book.removeTlb(e -> e.vmid() == vmidB[e.smmu()] && e.kind() == TlbEntryKind.STAGE1 && e.asid() == TwoVms.ASID_CONTEXT);
            book.removeAtc(e -> e.smmu() == 0 && e.sid() == TwoVms.PSID[1][0]);
            book.assertExactly(platform, "B's own commands");
        }
    }

    /**
     * Issues a command the hardware or VMM must refuse on one of A's queues, waits for the queue's error,
     * checks its code, and lets A's driver repair and acknowledge it (so A goes on).
     */
    private static void attack(
        final Platform platform, final Vm a, final int vsmmu, final int queue, final Commands commands, final int error,
        final String what)
    {
        final int status = queue == Vm.EMULATED_CMDQ ?
            a.issueTrapped(vsmmu, commands.buffer, 0, commands.count, false) :
            a.issue(vsmmu, 0, commands.buffer, 0, commands.count, false);
        assertEquals(IssueStatus.OK, status, what + " inserted");
        platform.await(() -> a.hasCommandError(vsmmu, queue), what + " to halt A's queue");
        assertEquals(error, a.recover(vsmmu, queue), what + ": CONS.ERR");
        // The repaired queue drains: a synced empty batch completes.
        final int after = queue == Vm.EMULATED_CMDQ ?
            a.issueTrapped(vsmmu, commands.buffer, 0, 0, true) :
            a.issue(vsmmu, 0, commands.buffer, 0, 0, true);
        assertEquals(IssueStatus.OK, after, what + ": A's queue resumed");
    }
}
