package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import org.junit.jupiter.api.Test;

/**
 * The ATC span against linux-unmap-sequences.md §5's examples, and the command words (SID dw0[63:32],
 * SSID dw0[31:12], SSV dw0[11], opcode 0x40; SIZE dw1[5:0], ADDR dw1[63:12]).
 */
class AtcInvRangeTest
{
    @Test
    void theDocumentsExamples()
    {
        // pages 8..11 -> ADDR 0x8000, SIZE 2
        assertEquals(2, AtcInvRange.spanLog2(0x8000, 0x4000));
        assertEquals(0x8000, AtcInvRange.spanAddress(0x8000, 0x4000));
        // pages 7..10 -> ADDR 0, SIZE 4
        assertEquals(4, AtcInvRange.spanLog2(0x7000, 0x4000));
        assertEquals(0, AtcInvRange.spanAddress(0x7000, 0x4000));
        // 8 KiB at 0x7ffff000 -> ADDR 0, SIZE 20 (4 GiB)
        assertEquals(20, AtcInvRange.spanLog2(0x7fff_f000L, 0x2000));
        assertEquals(0, AtcInvRange.spanAddress(0x7fff_f000L, 0x2000));
    }

    @Test
    void onePageIsSizeZeroAtItsPage()
    {
        assertEquals(0, AtcInvRange.spanLog2(0x1234_5000L, 0x1000));
        assertEquals(0x1234_5000L, AtcInvRange.spanAddress(0x1234_5000L, 0x1000));
        // Sub-page offsets are in the same 4 KiB page.
        assertEquals(0, AtcInvRange.spanLog2(0x1234_5100L, 0x10));
        assertEquals(0x1234_5000L, AtcInvRange.spanAddress(0x1234_5100L, 0x10));
    }

    @Test
    void sizeZeroIsEverything()
    {
        assertEquals(52, AtcInvRange.spanLog2(0x8000, 0));
        assertEquals(0, AtcInvRange.spanAddress(0x8000, 0));
    }

    @Test
    void oneCommandThenASyncWithSsvFollowingTheSsid()
    {
        final SplitRecordingIssuer recorder = new SplitRecordingIssuer();
        final CommandBatch batch = new CommandBatch(recorder);
        final AtcInvRange atc = new AtcInvRange();
        assertEquals(IssueStatus.OK, atc.invalidate(batch, 0x200, 0x42, 0x7fff_f000L, 0x2000));
        assertEquals(IssueStatus.OK, atc.invalidate(batch, 0xffff_ffffL, 0, 0, 0));
        assertEquals("0000020000042840:0000000000000014|" + "000000000fc02046:0000000000000000|" +
            "ffffffff00000040:0000000000000034|000000000fc02046:0000000000000000", recorder.commands());
        assertEquals("1+S/1+S", recorder.issues());
    }
}
