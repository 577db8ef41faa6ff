package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Counts successful insertions, their commands and syncs, and failures; passes statuses through.
 */
class InsertionCounterTest
{
    @Test
    void countsWhatTheQueueAccepted()
    {
        final IssueRecorder queue = new IssueRecorder(CmdSyncCompletion.LINUX);
        final InsertionCounter counter = new InsertionCounter(queue);
        final UnsafeBuffer commands = new UnsafeBuffer(new byte[64 * 16]);
        counter.issue(commands, 0, 64, false);
        counter.issue(commands, 0, 3, true);
        assertEquals(2, counter.insertions());
        assertEquals(67, counter.commands());
        assertEquals(1, counter.syncs());
        assertEquals(0, counter.failures());
        assertEquals("64/3+S", queue.issues());
        assertEquals("recorder", counter.name());
    }

    @Test
    void failuresAreCountedApartAndReturned()
    {
        final InsertionCounter counter = new InsertionCounter(new CommandIssuer()
        {
            @Override
            public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
            {
                return IssueStatus.CLOSED;
            }

            @Override
            public String name()
            {
                return "closed";
            }

            @Override
            public void close()
            {
            }
        });
        assertEquals(IssueStatus.CLOSED, counter.issue(new UnsafeBuffer(new byte[16]), 0, 1, true));
        assertEquals(0, counter.insertions());
        assertEquals(0, counter.syncs());
        assertEquals(1, counter.failures());
    }
}
