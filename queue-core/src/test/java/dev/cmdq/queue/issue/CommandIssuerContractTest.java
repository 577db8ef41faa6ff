package dev.cmdq.queue.issue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link CommandIssuer} contract, the same for every strategy in {@link IssuerFactories#ALL}, on one
 * thread with the device ({@link QueueConsumer}) driven inline by the issuer's waits: order and
 * contiguity, sync semantics, argument errors naming the argument, bounded waits with typed results
 * that leave the queue usable, and close.
 */
class CommandIssuerContractTest
{
    private static final int LOG2_SIZE = 8;

    private final DirectRingMemory memory = DirectRingMemory.allocate(LOG2_SIZE);
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));
    private final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(null);
    private long executed;
    private long completions;
    private String failure;
    private QueueConsumer consumer;
    private CommandIssuer issuer;

    private void start(final IssuerFactories.Named factory, final boolean instantTimeouts)
    {
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        // Instant timeouts: 1 ms of a clock that moves 1 us per read, i.e. 1,000 polls of the spinning
        // caller. A strategy with a thread of its own (a dispatcher's writer) must be scheduled within
        // the caller's polls, so it gets 10,000,000 polls (about 100 ms of real time: enough to be scheduled
        // even on a loaded machine).
        final long instantTimeoutNs = factory.ownThread() ? 10_000_000_000L : 1_000_000L;
        issuer = factory.factory().create(memory, registers, completion, new WaitPolicy(
            instantTimeouts ? instantTimeoutNs : WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle,
            instantTimeouts ? new SteppingNanoClock(1_000) : SystemNanoClock.INSTANCE));
    }

    @AfterEach
    void close()
    {
        issuer.close();
        consumer.close();
        memory.close();
        registers.close();
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (completion.isCompletion(buffer, offset))
        {
            completions++;
        }
        else if (!StressEntry.isIntact(buffer, offset) || StressEntry.sequence(buffer, offset) != executed)
        {
            failure = failure != null ? failure : "entry " + executed + " wrong at cons=0x" + Integer.toHexString(cons);
        }
        else
        {
            executed++;
        }
        return CommandError.NONE;
    }

    private void fill(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            StressEntry.write(commands, i * 16, first + i, 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.cmdq.queue.issue.IssuerFactories#all")
    void commandsArriveInOrderAndASyncReturnsOnlyAfterEverythingBeforeIt(final IssuerFactories.Named factory)
    {
        start(factory, false);
        idle.consumer(consumer);
        final SplittableRandom random = new SplittableRandom(3);
        long issued = 0;
        long syncs = 0;
        for (int call = 0; call < 3_000; call++)
        {
            final int count = random.nextInt(65);
            final boolean sync = random.nextInt(3) == 0;
            fill(issued, count);
            assertEquals(IssueStatus.OK, issuer.issue(commands, 0, count, sync));
            issued += count;
            if (sync)
            {
                syncs++;
                assertEquals(issued, executed, "sync returned before the device executed every earlier command");
                assertEquals(syncs, completions);
            }
        }
        fill(issued, 1);
        assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 1, true));
        assertEquals(issued + 1, executed);
        assertEquals(null, failure);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.cmdq.queue.issue.IssuerFactories#all")
    void badArgumentsAreRefusedByNameAndCountZeroWithoutSyncDoesNothing(final IssuerFactories.Named factory)
    {
        start(factory, true);
        idle.consumer(consumer);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> issuer.issue(commands, 0, 65, false))
            .getMessage().contains("count=65"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> issuer.issue(commands, 0, -1, true))
            .getMessage().contains("count=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> issuer.issue(commands, 1008, 2, false))
            .getMessage().contains("offset=1008"));
        assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 0, false));
        assertEquals(0, registers.getProdAcquire(), "nothing was inserted");
        assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 0, true));
        assertEquals(1, completions, "a lone sync");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.cmdq.queue.issue.IssuerFactories#all")
    void boundedWaitsReturnTimeoutAndTheQueueStaysUsable(final IssuerFactories.Named factory)
    {
        start(factory, true);
        long ok = 0;
        int timeouts = 0;
        for (int call = 0; call < 6; call++)
        {
            fill(ok, 64);
            final int status = issuer.issue(commands, 0, 64, false);
            if (status == IssueStatus.OK)
            {
                ok += 64;
            }
            else
            {
                assertEquals(IssueStatus.TIMEOUT, status);
                timeouts++;
            }
        }
        assertEquals(4 * 64, ok, "the 256-entry ring took four calls");
        assertEquals(2, timeouts);
        fill(ok, 1);
        assertEquals(IssueStatus.TIMEOUT, issuer.issue(commands, 0, 0, true), "no device: a sync cannot complete");

        idle.consumer(consumer);
        fill(ok, 10);
        assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 10, true));
        assertEquals(ok + 10, executed, "nothing lost, nothing extra");
        assertEquals(null, failure);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.cmdq.queue.issue.IssuerFactories#all")
    void aClosedIssuerAnswersClosed(final IssuerFactories.Named factory)
    {
        start(factory, true);
        issuer.close();
        assertEquals(IssueStatus.CLOSED, issuer.issue(commands, 0, 1, false));
        assertEquals(IssueStatus.CLOSED, issuer.issue(commands, 0, 1, true));
        assertFalse(issuer.name().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.cmdq.queue.issue.IssuerFactories#all")
    void closeReleasesACallerWaitingForItsSyncWithClosed(final IssuerFactories.Named factory) throws Exception
    {
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        issuer = factory.factory().create(memory, registers, completion, WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(60)));
        final AtomicInteger status = new AtomicInteger(1);
        final Thread waiter = new Thread(() -> status.set(issuer.issue(commands, 0, 2, true)));
        waiter.start();
        while (registers.getProdAcquire() != 3)
        {
            Thread.yield();
        }
        issuer.close();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive());
        assertEquals(IssueStatus.CLOSED, status.get(), "released by close, not by the 60 s timeout");
    }

    @Test
    void strategiesHaveDistinctNames()
    {
        final Set<String> names = new HashSet<>();
        for (final IssuerFactories.Named factory : IssuerFactories.ALL)
        {
            start(factory, true);
            assertTrue(names.add(issuer.name()), issuer.name());
            assertEquals(factory.name(), issuer.name());
            issuer.close();
            consumer.close();
        }
    }
}
