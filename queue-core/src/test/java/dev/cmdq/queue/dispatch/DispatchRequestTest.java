package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record's ownership protocol: a requester can give up only where the writer is not working on the
 * record, and the two never both win a transition.
 */
class DispatchRequestTest
{
    @Test
    void startsFreeAndKeepsWhatItWasFilledWith()
    {
        final DispatchRequest request = new DispatchRequest();
        assertEquals(DispatchRequest.FREE, request.lvState());
        final UnsafeBuffer commands = new UnsafeBuffer(new byte[64]);
        request.fill(commands, 16, 3, true);
        assertSame(commands, request.commands);
        assertEquals(16, request.offset);
        assertEquals(3, request.count);
        assertTrue(request.sync);
    }

    @Test
    void cancellingAndTakingExcludeEachOther()
    {
        final DispatchRequest cancelledFirst = new DispatchRequest();
        cancelledFirst.soState(DispatchRequest.PENDING);
        assertTrue(cancelledFirst.casState(DispatchRequest.PENDING, DispatchRequest.CANCELLED));
        assertFalse(cancelledFirst.casState(DispatchRequest.PENDING, DispatchRequest.TAKEN), "the writer skips it");

        final DispatchRequest takenFirst = new DispatchRequest();
        takenFirst.soState(DispatchRequest.PENDING);
        assertTrue(takenFirst.casState(DispatchRequest.PENDING, DispatchRequest.TAKEN));
        assertFalse(takenFirst.casState(DispatchRequest.PENDING, DispatchRequest.CANCELLED), "being copied: no giving up");
    }

    @Test
    void abandoningAndCompletingExcludeEachOther()
    {
        final DispatchRequest abandoned = new DispatchRequest();
        abandoned.soState(DispatchRequest.INSERTED);
        assertTrue(abandoned.casState(DispatchRequest.INSERTED, DispatchRequest.ABANDONED));
        assertFalse(abandoned.casState(DispatchRequest.INSERTED, IssueStatus.OK), "the writer frees it instead");

        final DispatchRequest completed = new DispatchRequest();
        completed.soState(DispatchRequest.INSERTED);
        assertTrue(completed.casState(DispatchRequest.INSERTED, IssueStatus.COMMAND_ERROR));
        assertFalse(completed.casState(DispatchRequest.INSERTED, DispatchRequest.ABANDONED), "the status is the requester's");
        assertEquals(IssueStatus.COMMAND_ERROR, completed.lvState());
    }

    @Test
    void everyStatusIsBelowEveryOwnershipState()
    {
        // The requester tells a result from an ownership state by "state <= OK".
        for (final int status : new int[] {IssueStatus.OK, IssueStatus.TIMEOUT, IssueStatus.CLOSED, IssueStatus.COMMAND_ERROR})
        {
            for (final int state : new int[] {DispatchRequest.FREE, DispatchRequest.PENDING, DispatchRequest.TAKEN,
                DispatchRequest.INSERTED, DispatchRequest.CANCELLED, DispatchRequest.ABANDONED})
            {
                assertTrue(status <= IssueStatus.OK && state > IssueStatus.OK, status + " vs " + state);
            }
        }
    }

    @Test
    void theWriterWakesTheRequesterThatOwnsTheRecord() throws Exception
    {
        final java.util.concurrent.atomic.AtomicReference<DispatchRequest> made = new java.util.concurrent.atomic.AtomicReference<>();
        final Thread requester = new Thread(() ->
        {
            made.set(new DispatchRequest());
            // A park far longer than the test's bound: only the wake can end it in time.
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MINUTES.toNanos(1));
        }, "requester");
        requester.setDaemon(true);
        requester.start();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
        {
            while (made.get() == null || requester.getState() != Thread.State.TIMED_WAITING)
            {
                Thread.onSpinWait();
            }
            made.get().wakeOwner();
            requester.join();
        });
        org.junit.jupiter.api.Assertions.assertFalse(requester.isAlive());
    }
}
