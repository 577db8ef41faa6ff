package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * How each entry point composes its groups (TLB group before ATC group, ATC only with ATS, the ATC step
 * of a range with the caller's size) and what a failure does (later steps not issued, batch emptied).
 */
class GuestInvalidatorTest
{
    private static final String SEV = "000000000fc02046:0000000000000000";

    private final SplitRecordingIssuer recorder = new SplitRecordingIssuer();
    private final CommandBatch batch = new CommandBatch(recorder);
    private final GuestInvalidator invalidator = new GuestInvalidator();

    @Test
    void rangeDomainWithAtsIsTlbGroupThenAtcGroupWithTheCallersSize()
    {
        // 1 page walk on the RIL path is widened to 2 pages for the TLBI, but ATC_INV covers 1 page (SIZE 0).
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).iova(0x5000).size(0x1000)
            .granule(0x1000).pageSize(0x1000).rangeInvalidation(true).asid(3).ats(true).sid(0x10).ssid(0);
        assertEquals(IssueStatus.OK, invalidator.invalidate(request, batch));
        assertEquals("0003000000100012:0000000000005400|" + SEV + "|0000001000000040:0000000000005000|" + SEV,
            recorder.commands());
        assertEquals("1+S/1+S", recorder.issues());
    }

    @Test
    void rangeDomainWithoutAtsIsTheTlbGroupAlone()
    {
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).iova(0x5000).size(0x1000)
            .granule(0x1000).pageSize(0x1000).leaf(true).asid(3).ats(false).sid(0x10);
        assertEquals(IssueStatus.OK, invalidator.invalidate(request, batch));
        assertEquals("0003000000000012:0000000000005001|" + SEV, recorder.commands());
    }

    @Test
    void contextIsAsidWithSyncThenAtcEverything()
    {
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(0x34).vmid(9).ats(true)
            .sid(0x200).ssid(7);
        assertEquals(IssueStatus.OK, invalidator.invalidate(request, batch));
        assertEquals("0034000900000011:0000000000000000|" + SEV + "|0000020000007840:0000000000000034|" + SEV,
            recorder.commands());
    }

    @Test
    void aFailedTlbGroupSkipsTheAtcStepAndEmptiesTheBatch()
    {
        final CommandBatch failing = new CommandBatch(new FailingIssuer());
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).iova(0).size(70 * 0x1000L)
            .granule(0x1000).pageSize(0x1000).leaf(true).asid(1).ats(true).sid(1);
        assertEquals(IssueStatus.TIMEOUT, invalidator.invalidate(request, failing));
        assertEquals(0, failing.count());
    }

    @Test
    void anInconsistentRequestIsRefusedBeforeAnythingIsIssued()
    {
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).size(0x1000).pageSize(0x4000)
            .granule(0x1000);
        assertThrows(IllegalArgumentException.class, () -> invalidator.invalidate(request, batch));
        assertEquals("", recorder.issues());
    }

    /** Accepts the first flush of 64, then times out. */
    private static final class FailingIssuer implements CommandIssuer
    {
        private int calls;

        @Override
        public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
        {
            return calls++ == 0 ? IssueStatus.OK : IssueStatus.TIMEOUT;
        }

        @Override
        public String name()
        {
            return "failing";
        }

        @Override
        public void close()
        {
        }
    }
}
