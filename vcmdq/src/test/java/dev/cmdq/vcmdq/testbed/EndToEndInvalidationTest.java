package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.hw.cache.TlbEntryKind;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's end-to-end proof, on every path and in both engine modes: a VM with devices behind two
 * physical SMMUs (fanned-out vSMMU trapped; one vSMMU per physical SMMU with VCMDQs direct) invalidates
 * by ASID, by VA range, by device (ATC_INV, CFGI_CD); after each guest sync the model caches hold exactly
 * the entries the test's own book says survive — the VM's stale entries gone on the right physical SMMU
 * (positive control), everything else (the other VM's entries, other ASIDs, SSIDs, devices, SMMUs) still
 * there.
 */
class EndToEndInvalidationTest
{
    /** Every path on its topology, plus the trapped path on upstream QEMU's one vSMMU per physical SMMU. */
    static Stream<Arguments> pathsAndModes()
    {
        return Stream.concat(
                Stream.of(GuestPath.values()).map(p -> Arguments.of(p, p.topology())),
                Stream.of(Arguments.of(GuestPath.TRAPPED_PER_COMMAND, TopologyKind.PER_PHYSICAL_SMMU)))
            .flatMap(a -> Stream.of(EngineMode.values()).map(m -> Arguments.of(a.get()[0], a.get()[1], m)));
    }

    private static long hostSyncs(final Platform platform)
    {
        return platform.gate(0).signalledSyncs() + platform.gate(1).signalledSyncs();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("pathsAndModes")
    void eachInvalidationRemovesExactlyItsEntriesOnTheRightSmmu(final GuestPath path, final TopologyKind topology, final EngineMode mode)
    {
        try (TwoVms fixture = new TwoVms(path, topology, mode))
        {
            final Vm a = fixture.a;
            final CacheBook book = fixture.book;
            final int[] vmidA = {a.vmidOn(0), a.vmidOn(1)};
            assertTrue(vmidA[0] != fixture.b.vmidOn(0) && vmidA[1] != fixture.b.vmidOn(1), "the host gave the VMs distinct VMIDs");
            book.assertExactly(fixture.platform, "after filling");
            final long exitsBefore = a.counters().exits();
            final long hostSyncsBefore = hostSyncs(fixture.platform);

            // By ASID: Linux's context flush; each vSMMU the domain is on gets it (fanned out: one, broadcast).
            final UnmapRequest context = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(TwoVms.ASID_CONTEXT);
            for (int s = 0; s < a.smmuCount(); s++)
            {
                assertEquals(IssueStatus.OK, a.unmap(s, 0, context));
            }
            book.removeTlb(e -> e.vmid() == vmidA[e.smmu()] && e.kind() == TlbEntryKind.STAGE1 && e.asid() == TwoVms.ASID_CONTEXT);
            book.assertExactly(fixture.platform, "TLBI_NH_ASID");

            // By VA range, leaf, on the vSMMU of device 0x8 from vCPU 1 (the other VCMDQ): two TLBI_NH_VA.
            final UnmapRequest range = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).iova(TwoVms.RANGE_IOVA)
                .size(TwoVms.RANGE_SIZE).granule(0x1000).pageSize(0x1000).leaf(true).asid(TwoVms.ASID_RANGE);
            assertEquals(IssueStatus.OK, a.unmap(a.smmuOf(TwoVms.VSID0), 1, range));
            // Fanned out, ASID-scoped commands reach every vIOMMU; one vSMMU per physical SMMU (a VCMDQ or
            // upstream QEMU's trapped vSMMU) reaches only its own SMMU.
            final boolean[] reached = {true, topology == TopologyKind.FANNED_OUT};
            book.removeTlb(e -> reached[e.smmu()] && e.vmid() == vmidA[e.smmu()] && e.leaf() &&
                (e.kind() == TlbEntryKind.STAGE1 && e.asid() == TwoVms.ASID_RANGE || e.kind() == TlbEntryKind.STAGE1_GLOBAL) &&
                (e.covers(TwoVms.RANGE_IOVA) || e.covers(TwoVms.RANGE_IOVA + 0x1000)));
            book.assertExactly(fixture.platform, "TLBI_NH_VA range");

            // By device: ATC_INV of vSID 0x9 (pSID 0x200 behind SMMU 1), SSID 3, one page at 0x4000.
            final UnmapRequest atc = new UnmapRequest().op(UnmapOp.ATC_INV).sid(TwoVms.VSID1).ssid(TwoVms.SSID)
                .iova(0x4000).size(0x1000);
            assertEquals(IssueStatus.OK, a.unmap(a.smmuOf(TwoVms.VSID1), 0, atc));
            book.removeAtc(e -> e.smmu() == 1 && e.sid() == TwoVms.PSID[0][1] && e.ssid() == TwoVms.SSID && e.overlaps(0x4000, 0x4FFF));
            book.assertExactly(fixture.platform, "ATC_INV");
            if (path.usesVcmdqs())
            {
                assertEquals(exitsBefore, a.counters().exits(), "nothing trapped on the direct path");
                assertEquals(hostSyncsBefore, hostSyncs(fixture.platform), "no host CMD_SYNC on the direct path");
            }
            else
            {
                assertTrue(a.counters().exits() > exitsBefore, "every trapped invalidation exits");
                assertTrue(hostSyncs(fixture.platform) > hostSyncsBefore, "the host synced the forwarded commands");
                assertTrue(a.counters().invalidateCalls() > 0);
            }

            // By device: CFGI_CD, which a VCMDQ does not accept, so Linux sends it on the vSMMU's (trapped) CMDQ.
            final Commands cfgi = new Commands().put(Commands.cfgiCd(TwoVms.VSID1, TwoVms.SSID), 1);
            assertEquals(IssueStatus.OK, a.issueTrapped(a.smmuOf(TwoVms.VSID1), cfgi.buffer, 0, cfgi.count, true));
            book.removeConfig(e -> e.smmu() == 1 && e.sid() == TwoVms.PSID[0][1] && e.ssid() == TwoVms.SSID);
            book.assertExactly(fixture.platform, "CFGI_CD");
            assertEquals(0, a.counters().guestFailures());
            assertEquals(0, a.counters().trappedErrors());
        }
    }
}
