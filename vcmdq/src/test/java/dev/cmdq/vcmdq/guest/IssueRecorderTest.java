package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CmdSyncCompletion;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The production recorder: words in order, syncs in the chosen form, the split notation, growth past
 * one batch, reset.
 */
class IssueRecorderTest
{
    @Test
    void recordsWordsSyncsAndTheSplit()
    {
        final IssueRecorder recorder = new IssueRecorder(CmdSyncCompletion.BUSY_POLL);
        final UnsafeBuffer commands = new UnsafeBuffer(new byte[64 * 16]);
        for (int i = 0; i < 64; i++)
        {
            commands.putLong(16 * i, 0x12 | ((long)i << 48), ByteOrder.LITTLE_ENDIAN);
            commands.putLong(16 * i + 8, i, ByteOrder.LITTLE_ENDIAN);
        }
        assertEquals(IssueStatus.OK, recorder.issue(commands, 0, 64, false));
        assertEquals(IssueStatus.OK, recorder.issue(commands, 16, 2, true));
        assertEquals(IssueStatus.OK, recorder.issue(commands, 0, 0, false));
        assertEquals("64/2+S", recorder.issues());
        assertEquals(67, recorder.count());
        assertEquals(1, recorder.syncs());
        assertEquals(0x0001000000000012L, recorder.dword0(64));
        assertEquals(2, recorder.dword1(65));
        assertEquals(0x000000000fc00046L, recorder.dword0(66));
        assertEquals(0, recorder.dword1(66));
        assertThrows(IndexOutOfBoundsException.class, () -> recorder.dword0(67));
        assertThrows(IllegalArgumentException.class, () -> recorder.issue(commands, 0, 65, false));

        recorder.reset(CmdSyncCompletion.LINUX);
        recorder.issue(commands, 0, 0, true);
        assertEquals("0+S", recorder.issues());
        assertEquals(0x000000000fc02046L, recorder.dword0(0));
    }
}
