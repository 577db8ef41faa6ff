package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import org.junit.jupiter.api.Test;

/**
 * The range loop against words typed by hand from linux-unmap-sequences.md §3 (the worked examples and
 * the field positions of smmuv3-cmdq.md §2: NUM dw0[16:12], SCALE dw0[24:20], ASID dw0[63:48], TG
 * dw1[11:10], TTL dw1[9:8], LEAF dw1[0]).
 */
class TlbInvRangeTest
{
    private static final String SEV = "000000000fc02046:0000000000000000";

    private final SplitRecordingIssuer recorder = new SplitRecordingIssuer();
    private final CommandBatch batch = new CommandBatch(recorder, false);
    private final TlbInvRange range = new TlbInvRange();

    @Test
    void thirtyThreeLeafPagesAreTwoCommandsSmallestFirst()
    {
        run(ril(0x7f00_0000_1000L, 33 * 0x1000L, 0x1000, true, 0x1000, 4));
        assertEquals("0004000000000012:00007f0000001701|0004000000500012:00007f0000002701|" + SEV, recorder.commands());
        assertEquals("2+S", recorder.issues());
    }

    @Test
    void thirtyThreeNonLeafPagesAreWidenedToOneCommand()
    {
        run(ril(0x7f00_0000_1000L, 33 * 0x1000L, 0x1000, false, 0x1000, 4));
        assertEquals("0004000000110012:00007f0000001400|" + SEV, recorder.commands());
    }

    @Test
    void aOnePageWalkIsWidenedToTwoPages()
    {
        // pages = 1 -> 2: SCALE 1, NUM 0, TTL 0, TG 1 (never NUM = SCALE = TTL = 0 with TG != 0).
        run(ril(0x1000, 0x1000, 0x1000, false, 0x1000, 1));
        assertEquals("0001000000100012:0000000000001400|" + SEV, recorder.commands());
    }

    @Test
    void fiveBitWindowsFromTheLowestSetBitUp()
    {
        run(ril(0x7f00_0000_1000L, 0x55555L * 0x1000, 0x1000, true, 0x1000, 4));
        // (scale, num) = (0, 21), (6, 21), (12, 21), (18, 1); each starts where the previous ended.
        assertEquals("0004000000014012:00007f0000001701|0004000000614012:00007f0000016701|" +
            "0004000000c14012:00007f0000556701|0004000001200012:00007f0015556701|" + SEV, recorder.commands());
    }

    @Test
    void threeBlocksOf512MiBWith64KiBPages()
    {
        run(ril(0x6000_0000L, 0x6000_0000L, 0x2000_0000L, true, 0x10000, 7));
        assertEquals("0007000000d02012:0000000060000e01|" + SEV, recorder.commands());
    }

    @Test
    void ttlFollowsTheGranuleLevel()
    {
        // 4 KiB tables: 1 GiB block -> TTL 1; 16 KiB tables: 32 MiB block -> TTL 2 (TG 2).
        run(ril(0x4000_0000L, 0x4000_0000L, 0x4000_0000L, true, 0x1000, 1));
        // 1 GiB / 4 KiB = 2^18 pages: SCALE 18, NUM 0.
        assertEquals("0001000001200012:0000000040000501|" + SEV, recorder.commands());
        recorder.reset(2);
        run(ril(0x200_0000L, 0x200_0000L, 0x200_0000L, true, 0x4000, 1));
        // 32 MiB / 16 KiB = 2048 pages = 2^11: SCALE 11, NUM 0.
        assertEquals("0001000000b00012:0000000002000a01|" + SEV, recorder.commands());
    }

    @Test
    void withoutRilOneCommandPerGranuleNotPerPage()
    {
        run(perGranule(0x4000_0000L, 3 * 0x20_0000L, 0x20_0000L, true, 0x1000, 5));
        assertEquals("0005000000000012:0000000040000001|0005000000000012:0000000040200001|" +
            "0005000000000012:0000000040400001|" + SEV, recorder.commands());
    }

    @Test
    void withoutRilAPartialGranuleStillGetsItsCommand()
    {
        run(perGranule(0x10000, 0x1800, 0x1000, false, 0x1000, 2));
        assertEquals("0002000000000012:0000000000010000|0002000000000012:0000000000011000|" + SEV, recorder.commands());
    }

    @Test
    void sixtyFiveCommandsAreSixtyFourThenOnePlusSync()
    {
        run(perGranule(0x10_0000, 65 * 0x1000L, 0x1000, true, 0x1000, 3));
        assertEquals("64/1+S", recorder.issues());
        assertEquals(66, recorder.entryCount());
    }

    @Test
    void sizeZeroIssuesNothingNotEvenASync()
    {
        run(ril(0x1000, 0, 0x1000, true, 0x1000, 1));
        assertEquals("", recorder.issues());
        run(perGranule(0x1000, 0, 0x1000, true, 0x1000, 1));
        assertEquals("", recorder.issues());
    }

    private void run(final UnmapRequest request)
    {
        assertEquals(IssueStatus.OK, range.invalidate(batch, request.check()));
        assertEquals(0, batch.count());
    }

    private static UnmapRequest ril(
        final long iova, final long size, final long granule, final boolean leaf, final long pageSize, final int asid)
    {
        return perGranule(iova, size, granule, leaf, pageSize, asid).rangeInvalidation(true);
    }

    private static UnmapRequest perGranule(
        final long iova, final long size, final long granule, final boolean leaf, final long pageSize, final int asid)
    {
        return new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).iova(iova).size(size).granule(granule).leaf(leaf)
            .pageSize(pageSize).asid(asid);
    }
}
