package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import org.junit.jupiter.api.Test;

/**
 * TLBI_NH_ASID (opcode 0x11, VMID dw0[47:32], ASID dw0[63:48]) and its sync as one {@code 1+S}
 * insertion, leaving held batch commands alone (linux-unmap-sequences.md §6).
 */
class TlbInvAsidTest
{
    @Test
    void oneTwoSlotInsertion()
    {
        final SplitRecordingIssuer recorder = new SplitRecordingIssuer();
        final CommandBatch batch = new CommandBatch(recorder);
        batch.add(0x1234, 0x5678);
        assertEquals(IssueStatus.OK, new TlbInvAsid().invalidate(batch, 0x2eba, 0x8519));
        assertEquals("2eba851900000011:0000000000000000|000000000fc02046:0000000000000000", recorder.commands());
        assertEquals("1+S", recorder.issues());
        assertEquals(1, batch.count());
    }
}
