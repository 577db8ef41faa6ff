package dev.cmdq.queue.spin;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spin-lock baseline: geometry, one call per PROD write, both completion waits, the bounded space
 * wait, and the held-slot rule — a completion slot is not reused before its waiter is done, even when
 * CONS shows the space free.
 */
class SpinLockIssuerTest
{
    private final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));

    @Test
    void refusesRingsOf64EntriesOrFewerNamingLog2Size()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(6); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpinLockIssuer(memory, registers, new TestCompletionEntry(), CompletionWait.WRITE_BACK));
            assertTrue(e.getMessage().contains("log2Size=6"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void everyCallPublishesItsOwnBatchAndSyncWaitsForTheDevice(final CompletionWait completionWait)
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(7); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final TestCompletionEntry completion = new TestCompletionEntry();
            final AtomicInteger executed = new AtomicInteger();
            final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
            {
                executed.incrementAndGet();
                return CommandError.NONE;
            }, completion);
            final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(null);
            final SpinLockIssuer issuer = new SpinLockIssuer(memory, registers, completion, completionWait,
                new WaitPolicy(1_000_000, () -> idle, new SteppingNanoClock(1_000)));

            assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 3, false));
            assertEquals(3, registers.getProdAcquire());
            assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 2, false));
            assertEquals(5, registers.getProdAcquire());
            assertEquals(IssueStatus.TIMEOUT, issuer.issue(commands, 0, 1, true), "nobody consumes yet");
            assertEquals(7, registers.getProdAcquire());
            assertEquals(0, issuer.lockValue());

            idle.consumer(consumer);
            for (int i = 0; i < 50; i++)
            {
                assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 7, true));
            }
            assertEquals(7 + 50 * 8, executed.get());
            issuer.close();
            assertEquals(IssueStatus.CLOSED, issuer.issue(commands, 0, 1, false));
            consumer.close();
        }
    }

    @Test
    void waitingForSpaceTimesOutHavingInsertedNothing()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(7); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final SpinLockIssuer issuer = new SpinLockIssuer(memory, registers, new TestCompletionEntry(), CompletionWait.WRITE_BACK,
                new WaitPolicy(1_000_000, BackoffIdleStrategy::new, new SteppingNanoClock(1_000)));
            assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 64, false));
            assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 63, false));
            assertEquals(IssueStatus.TIMEOUT, issuer.issue(commands, 0, 2, false));
            assertEquals(127, registers.getProdAcquire());
            assertEquals(0, issuer.lockValue(), "the lock was released");
            assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 1, false));
            issuer.close();
        }
    }

    /**
     * W issues a lone sync at slot 0 and waits for a write-back that never comes (the device executes
     * completions without writing back). P then fills the ring; CONS shows the space free, but P's call
     * that would reuse slot 0 must not return before W gave up (released by the test).
     */
    @Test
    void aCompletionSlotIsNotReusedWhileItsWaiterWaits() throws Exception
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(7); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final TestCompletionEntry completion = new TestCompletionEntry();
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, null);
            final AtomicBoolean released = new AtomicBoolean();
            final Thread[] waiter = new Thread[1];
            // W's waits end only once the test released it; everybody else's never time out here.
            final NanoClock clock = () -> Thread.currentThread() == waiter[0] && released.get() ? Long.MAX_VALUE / 2 : 0;
            final SpinLockIssuer issuer = new SpinLockIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
                new WaitPolicy(TimeUnit.SECONDS.toNanos(1), WaitPolicy::defaultIdle, clock));

            final AtomicInteger waiterStatus = new AtomicInteger(1);
            waiter[0] = new Thread(() -> waiterStatus.set(issuer.issue(commands, 0, 0, true)));
            waiter[0].start();
            while (registers.getProdAcquire() != 1)
            {
                Thread.yield();
            }

            final AtomicInteger calls = new AtomicInteger();
            final AtomicBoolean reuseReturnedBeforeRelease = new AtomicBoolean();
            final Thread producer = new Thread(() ->
            {
                for (int i = 0; i < 128; i++)
                {
                    assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 1, false));
                    if (i == 127)
                    {
                        reuseReturnedBeforeRelease.set(!released.get());
                    }
                    calls.incrementAndGet();
                }
            });
            producer.start();
            // The device consumes everything published; P's 128th call (slot 0 again) cannot proceed.
            while (calls.get() < 127 || device.drain(64) > 0 || registers.getConsAcquire() != registers.getProdAcquire())
            {
                device.drain(64);
                Thread.yield();
            }
            assertEquals(127, calls.get());
            assertTrue(producer.isAlive());

            released.set(true);
            waiter[0].join(10_000);
            producer.join(10_000);
            assertFalse(waiter[0].isAlive() || producer.isAlive());
            assertEquals(IssueStatus.TIMEOUT, waiterStatus.get());
            assertEquals(128, calls.get());
            assertFalse(reuseReturnedBeforeRelease.get(), "slot 0 was reused while its waiter still waited");
            issuer.close();
            device.close();
        }
    }
}
