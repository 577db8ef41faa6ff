package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.CommandErrorRecovery;
import dev.cmdq.queue.ConsRegister;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's drain on one thread, the device ({@link QueueConsumer}) run inline from the sync wait's
 * idle strategy. Requests are handed over directly ({@link Dispatcher#offer}), so a test decides exactly
 * which requests one drain sees. The oracle is the device's log of what it executed — command sequence
 * numbers and {@value #SYNC} for a completion entry — compared with layouts typed from the rules.
 */
class DispatcherTest
{
    private static final long SYNC = -1;
    private static final int LOG2_SIZE = 8;

    private final DirectRingMemory memory = DirectRingMemory.allocate(LOG2_SIZE);
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final List<Long> executed = new ArrayList<>();
    private final List<DispatchRequest> requests = new ArrayList<>();
    private QueueConsumer consumer;
    private Dispatcher dispatcher;
    /** Errors the device reports for completion entries before it executes one; negative: forever. */
    private int atcFailures;
    /** Sequence number of a command the device refuses as illegal (once), or -1. */
    private long illegal = -1;
    /** Requests whose state the idle strategy checks on every idle: not released before the sync. */
    private final List<String> releasedEarly = new ArrayList<>();
    private boolean driveDevice = true;
    /** Run on every idle of the sync wait. */
    private Runnable duringWait = () -> { };

    private final IdleStrategy idle = new IdleStrategy()
    {
        @Override
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            for (final DispatchRequest r : requests)
            {
                if (r.sync && r.lvState() != DispatchRequest.INSERTED)
                {
                    releasedEarly.add("state " + r.lvState() + " while the sync was pending");
                }
            }
            duringWait.run();
            if (driveDevice)
            {
                consumer.doWork();
            }
        }

        @Override
        public void reset()
        {
        }
    };

    private void start(final CompletionWait completionWait, final boolean forceSync)
    {
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        dispatcher = new Dispatcher(memory.buffer(), LOG2_SIZE, memory.deviceAddress(), registers, completion,
            completionWait, forceSync, new WaitPolicy(10_000_000, () -> idle, new SteppingNanoClock(1_000)), null);
    }

    @AfterEach
    void close()
    {
        consumer.close();
        memory.close();
        registers.close();
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (completion.isCompletion(buffer, offset))
        {
            if (atcFailures != 0)
            {
                atcFailures--;
                return CommandError.ATC_INV_SYNC;
            }
            executed.add(SYNC);
            return CommandError.NONE;
        }
        final long sequence = StressEntry.sequence(buffer, offset);
        if (sequence == illegal)
        {
            illegal = -1;
            return CommandError.ILL;
        }
        executed.add(sequence);
        return CommandError.NONE;
    }

    /** Hands over a request of {@code count} commands numbered from {@code first}. */
    private DispatchRequest offer(final long first, final int count, final boolean sync)
    {
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * RingMemory.ENTRY_BYTES));
        for (int i = 0; i < count; i++)
        {
            StressEntry.write(commands, i * RingMemory.ENTRY_BYTES, first + i, 0);
        }
        final DispatchRequest request = new DispatchRequest();
        request.fill(commands, 0, count, sync);
        request.soState(DispatchRequest.PENDING);
        assertTrue(dispatcher.offer(request));
        requests.add(request);
        return request;
    }

    private static List<Long> layout(final long... entries)
    {
        final List<Long> list = new ArrayList<>();
        for (final long e : entries)
        {
            list.add(e);
        }
        return list;
    }

    /** Commands {@code first .. first+count-1} as layout entries. */
    private static long[] run(final long first, final int count)
    {
        final long[] entries = new long[count];
        for (int i = 0; i < count; i++)
        {
            entries[i] = first + i;
        }
        return entries;
    }

    private static List<Long> concat(final long[]... parts)
    {
        final List<Long> list = new ArrayList<>();
        for (final long[] part : parts)
        {
            for (final long e : part)
            {
                list.add(e);
            }
        }
        return list;
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void requestsDrainedTogetherShareOneSyncAndAreReleasedOnlyAfterIt(final CompletionWait completionWait)
    {
        start(completionWait, false);
        final DispatchRequest a = offer(0, 3, true);
        final DispatchRequest b = offer(100, 2, false);
        final DispatchRequest c = offer(200, 1, true);
        final DispatchRequest d = offer(300, 0, true);

        assertEquals(4, dispatcher.doWork());

        assertEquals(concat(run(0, 3), run(100, 2), run(200, 1), new long[] {SYNC}), executed,
            "each request contiguous and in hand-over order, one sync after all of them");
        assertEquals(List.of(), releasedEarly);
        for (final DispatchRequest r : List.of(a, b, c, d))
        {
            assertEquals(IssueStatus.OK, r.lvState());
        }
        assertEquals(1, dispatcher.syncsInserted());
        assertEquals(1, dispatcher.groups());
        assertEquals(1, dispatcher.drains());
        assertEquals(4, dispatcher.requestsServed());
        assertEquals(7, registers.getProdAcquire(), "6 commands and one sync, PROD written once");
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void aDrainWithoutSyncRequestsInsertsNoSync(final CompletionWait completionWait)
    {
        start(completionWait, false);
        final DispatchRequest a = offer(0, 64, false);
        final DispatchRequest b = offer(64, 5, false);
        assertEquals(2, dispatcher.doWork());
        assertEquals(IssueStatus.OK, a.lvState());
        assertEquals(IssueStatus.OK, b.lvState());
        assertEquals(69, registers.getProdAcquire());
        assertEquals(0, dispatcher.syncsInserted());
        consumer.doWork();
        consumer.doWork();
        assertEquals(concat(run(0, 69)), executed);
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void forceSyncNeverQueuesMoreThan63CommandsAheadOfASync(final CompletionWait completionWait)
    {
        start(completionWait, true);
        offer(0, 40, false);
        offer(100, 40, false);
        offer(200, 40, true);
        offer(300, 10, true);
        offer(400, 13, true);
        assertEquals(5, dispatcher.doWork());
        // 40 | 40+40 > 63: sync, 40 | sync, 40 | 40+10 = 50 | 50+13 = 63: no sync needed | group sync.
        assertEquals(concat(run(0, 40), new long[] {SYNC}, run(100, 40), new long[] {SYNC}, run(200, 40), run(300, 10),
            run(400, 13), new long[] {SYNC}), executed);
        assertEquals(3, dispatcher.syncsInserted());

        // Counted across drains: 63 commands before the last sync, then 50 without a sync, then 20 more.
        assertEquals(List.of(), releasedEarly);
        executed.clear();
        requests.clear();
        offer(500, 50, false);
        assertEquals(1, dispatcher.doWork());
        offer(600, 20, true);
        assertEquals(1, dispatcher.doWork());
        assertEquals(concat(run(500, 50), new long[] {SYNC}, run(600, 20), new long[] {SYNC}), executed);
        assertEquals(List.of(), releasedEarly);
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void atcInvSyncOnTheSharedSyncIsAcknowledgedAndRetriedUntilItCompletes(final CompletionWait completionWait)
    {
        start(completionWait, false);
        atcFailures = 3;
        final DispatchRequest a = offer(0, 4, true);
        final DispatchRequest b = offer(10, 2, true);
        assertEquals(2, dispatcher.doWork());
        assertEquals(IssueStatus.OK, a.lvState());
        assertEquals(IssueStatus.OK, b.lvState());
        assertEquals(3, dispatcher.atcRetries());
        assertEquals(concat(run(0, 4), run(10, 2), new long[] {SYNC}), executed, "the sync executed once, at last");
        assertEquals(0, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
        assertEquals(List.of(), releasedEarly);
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void aPersistentlyFailingSyncGivesTheGroupCommandErrorAndLosesNothing(final CompletionWait completionWait)
    {
        start(completionWait, false);
        atcFailures = -1;
        final DispatchRequest a = offer(0, 4, true);
        final DispatchRequest b = offer(10, 2, false);
        assertEquals(2, dispatcher.doWork());
        assertEquals(IssueStatus.COMMAND_ERROR, a.lvState(), "typed error once the bounded retries ran out");
        assertEquals(IssueStatus.OK, b.lvState(), "without sync: released once inserted");
        assertTrue(dispatcher.atcRetries() > 1, "retried: " + dispatcher.atcRetries());
        assertEquals(concat(run(0, 4), run(10, 2)), executed, "every command before the sync executed");
        final int cons = registers.getConsAcquire();
        assertEquals(6, cons & 0x1FF, "CONS stands on the sync, which is still there");

        // The ATS invalidation finally completes: the device's retry succeeds and the next group works.
        atcFailures = 0;
        if ((GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) & GlobalError.CMDQ_ERR) != 0)
        {
            assertEquals(CommandError.ATC_INV_SYNC, ConsRegister.err(cons));
            registers.putGerrornRelease(registers.getGerrorAcquire());
        }
        requests.clear();
        final DispatchRequest c = offer(20, 1, true);
        assertEquals(1, dispatcher.doWork());
        assertEquals(IssueStatus.OK, c.lvState());
        assertEquals(concat(run(0, 4), run(10, 2), new long[] {SYNC}, run(20, 1), new long[] {SYNC}), executed);
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void anIllegalCommandInTheGroupGivesCommandErrorAndIsLeftToTheGerrorHandler(final CompletionWait completionWait)
    {
        start(completionWait, false);
        illegal = 11;
        final DispatchRequest a = offer(0, 4, true);
        final DispatchRequest b = offer(10, 3, true);
        assertEquals(2, dispatcher.doWork());
        assertEquals(IssueStatus.COMMAND_ERROR, a.lvState());
        assertEquals(IssueStatus.COMMAND_ERROR, b.lvState());
        assertEquals(0, dispatcher.atcRetries());
        assertNotEquals(0, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) &
            GlobalError.CMDQ_ERR, "not acknowledged by the writer");

        // The GERROR handler replaces the illegal command with a sync; the queue goes on.
        assertEquals(CommandError.ILL, new CommandErrorRecovery(memory, registers, completion).recover());
        requests.clear();
        final DispatchRequest c = offer(20, 1, true);
        assertEquals(1, dispatcher.doWork());
        assertEquals(IssueStatus.OK, c.lvState());
        assertEquals(concat(run(0, 4), new long[] {10, SYNC, 12, SYNC, 20, SYNC}), executed);
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void aSyncThatDoesNotCompleteTimesOutAndAnAbandonedRecordGoesBackToItsRequester(final CompletionWait completionWait)
    {
        start(completionWait, false);
        driveDevice = false;
        final DispatchRequest a = offer(0, 2, true);
        final DispatchRequest b = offer(10, 2, true);
        requests.clear();
        // b's requester gives up while its commands are in the ring (the wait's first idle stands in for it).
        duringWait = () -> b.casState(DispatchRequest.INSERTED, DispatchRequest.ABANDONED);
        assertEquals(2, dispatcher.doWork());
        assertEquals(IssueStatus.TIMEOUT, a.lvState());
        assertEquals(DispatchRequest.FREE, b.lvState(), "the abandoned record was given back");
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void cancelledRequestsAreSkippedAndFreedAndAHeadThatDoesNotFitWaitsForTheNextDrain(final CompletionWait completionWait)
    {
        start(completionWait, false);
        final DispatchRequest cancelled = offer(0, 5, false);
        assertTrue(cancelled.casState(DispatchRequest.PENDING, DispatchRequest.CANCELLED));
        // 4 x 64 fills the 256-entry ring; the fifth must wait for the device.
        for (int i = 0; i < 5; i++)
        {
            offer(100 + 64 * i, 64, false);
        }
        assertEquals(5, dispatcher.doWork(), "the cancelled one dropped, four served");
        assertEquals(DispatchRequest.FREE, cancelled.lvState());
        assertEquals(DispatchRequest.PENDING, requests.get(5).lvState(), "no room: still queued, not failed");
        assertEquals(0, dispatcher.doWork());
        consumer.doWork();
        assertEquals(1, dispatcher.doWork());
        assertEquals(IssueStatus.OK, requests.get(5).lvState());
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void closeReleasesQueuedRequestsWithClosed(final CompletionWait completionWait)
    {
        start(completionWait, false);
        final DispatchRequest a = offer(0, 1, true);
        final DispatchRequest b = offer(1, 1, false);
        dispatcher.close();
        assertEquals(2, dispatcher.doWork());
        assertEquals(IssueStatus.CLOSED, a.lvState());
        assertEquals(IssueStatus.CLOSED, b.lvState());
        assertEquals(0, registers.getProdAcquire(), "nothing inserted after close");
    }
}
