package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.AccessLog;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.RecordingQueueRegisters;
import dev.cmdq.queue.testkit.RecordingRingMemory;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SingleWriterProducerTest
{
    private static final long TIMEOUT_NS = 1_000;
    private static final long STEP_NS = 10;

    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();

    @AfterEach
    void tearDown()
    {
        registers.close();
    }

    private SingleWriterProducer producer(final RingMemory memory, final QueueRegisters regs,
        final org.agrona.concurrent.IdleStrategy idle)
    {
        return new SingleWriterProducer(memory, regs, completion, idle, TIMEOUT_NS, new SteppingNanoClock(STEP_NS));
    }

    @Test
    void claimsConsecutivePositionsAndPublishesOnce()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(3))
        {
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            assertEquals(0, p.tryClaim(3));
            assertEquals(3, p.tryClaim(2));
            assertEquals(0, registers.getProdAcquire(), "claiming publishes nothing");
            p.publish();
            assertEquals(5, registers.getProdAcquire());
            assertEquals(5, p.published());
            assertEquals(5, p.claimed());
            assertEquals(5 * 16, p.slotOffset(5));
            assertEquals(5 * 16, p.slotOffset(5 + 16), "slotOffset ignores the wrap bit");
            assertEquals(0, p.slotOffset(8));
            assertEquals(16, p.slotOffset(8 + 1));
            p.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 9, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void badCountIsRejectedNamingN(final int n)
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(3))
        {
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            final IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> p.tryClaim(n));
            assertTrue(a.getMessage().contains("n=" + n), a.getMessage());
            final IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> p.claim(n));
            assertTrue(b.getMessage().contains("n=" + n), b.getMessage());
            assertEquals(0, p.claimed(), "nothing reserved");
            p.close();
            // The upper bound is checked off the fast path; a closed producer must still name a bad count.
            final IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> p.tryClaim(n));
            assertTrue(c.getMessage().contains("n=" + n), c.getMessage());
        }
    }

    @Test
    void fullRingTimesOutWithTypedCodeAndStaysUsable()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final SteppingNanoClock clock = new SteppingNanoClock(STEP_NS);
            final SingleWriterProducer p = new SingleWriterProducer(
                memory, registers, completion, NoOpIdleStrategy.INSTANCE, TIMEOUT_NS, clock);
            assertEquals(0, p.claim(4), "the ring can be filled completely");
            p.publish();
            assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(1));
            assertEquals(IssueStatus.TIMEOUT, p.claim(1));
            assertTrue(clock.reads() >= TIMEOUT_NS / STEP_NS, "waited until the clock passed the timeout");
            assertEquals(4, p.claimed(), "a timed-out claim reserves nothing");

            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion);
            assertEquals(2, device.drain(2));
            assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(3), "only 2 freed");
            assertEquals(4, p.claim(2), "usable again after the device freed space");
            device.close();
            p.close();
        }
    }

    @Test
    void claimWaitsForTheDeviceWithTheIdleStrategy()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion, 1);
            final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(device);
            final SingleWriterProducer p = producer(memory, registers, idle);
            assertEquals(0, p.claim(4));
            p.publish();
            assertEquals(4, p.claim(3), "three device steps free three slots");
            assertEquals(3, idle.idles());
            device.close();
            p.close();
        }
    }

    @Test
    void consIsReadOnlyWhenTheCachedSpaceIsTooSmall()
    {
        final AccessLog log = new AccessLog();
        final RecordingQueueRegisters regs = new RecordingQueueRegisters(log);
        try (DirectRingMemory memory = DirectRingMemory.allocate(3))
        {
            final SingleWriterProducer p = producer(memory, regs, NoOpIdleStrategy.INSTANCE);
            log.clear();
            for (int i = 0; i < 8; i++)
            {
                assertEquals(i, p.tryClaim(1));
            }
            p.publish();
            assertEquals(0, log.events(e -> e.target().equals("CONS")).size(), "8 claims from a known-empty ring\n" + log);

            regs.putConsRelease(3);
            log.clear();
            assertEquals(8, p.tryClaim(2), "cache exhausted: one CONS read finds 3 free");
            assertEquals(10, p.tryClaim(1), "served from the refreshed cache");
            assertEquals(1, log.events(e -> e.target().equals("CONS")).size(), "" + log);
            assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(1));
            assertEquals(2, log.events(e -> e.target().equals("CONS")).size(), "" + log);
            p.close();
        }
    }

    @Test
    void entriesAreWrittenBeforeTheOneProdReleaseStore()
    {
        final AccessLog log = new AccessLog();
        final RecordingQueueRegisters regs = new RecordingQueueRegisters(log);
        try (RecordingRingMemory memory = new RecordingRingMemory(3, log))
        {
            final SingleWriterProducer p = producer(memory, regs, NoOpIdleStrategy.INSTANCE);
            log.clear();
            final int start = p.claim(3);
            for (int i = 0; i < 3; i++)
            {
                StressEntry.write(p.buffer(), p.slotOffset(start + i), i, 0);
            }
            assertEquals(-1, log.indexOfFirst(AccessLog.releaseWriteOf("PROD")), "no PROD store before publish\n" + log);
            p.publish();
            p.publish(); // nothing new: no second store

            final List<AccessLog.Event> prodStores = log.events(AccessLog.releaseWriteOf("PROD"));
            assertEquals(1, prodStores.size(), "" + log);
            assertEquals(3, prodStores.get(0).value());
            assertTrue(log.indexOfLast(AccessLog.ringWriteWithin(0, 48)) < log.indexOfFirst(AccessLog.releaseWriteOf("PROD")),
                "every entry store precedes the PROD release\n" + log);
            p.close();
        }
    }

    @Test
    void completionEntryIsWrittenBeforeProdAndNamesItsOwnSlot()
    {
        final AccessLog log = new AccessLog();
        final RecordingQueueRegisters regs = new RecordingQueueRegisters(log);
        try (RecordingRingMemory memory = new RecordingRingMemory(3, log))
        {
            final SingleWriterProducer p = producer(memory, regs, NoOpIdleStrategy.INSTANCE);
            assertEquals(0, p.claim(2));
            log.clear();
            final int sync = p.claimCompletion(true);
            assertEquals(2, sync);
            p.publish();

            final int lastSlotWrite = log.indexOfLast(AccessLog.ringWriteWithin(32, 16));
            final int prodStore = log.indexOfFirst(AccessLog.releaseWriteOf("PROD"));
            assertTrue(lastSlotWrite >= 0 && lastSlotWrite < prodStore, "" + log);
            assertEquals(memory.deviceAddress() + 32, completion.writeBackAddress(memory.buffer(), 32));
            assertEquals(1, p.heldCompletions());
            p.close();
        }
    }

    /**
     * The crucial property: on a tiny ring the device consumes the sync and writes its word, CONS alone
     * would let the producer overwrite that slot before the waiter read the word, and the producer
     * refuses until the waiter observed it.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void completionSlotIsNotReusedBeforeItsWordWasObserved(final int log2Size)
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(log2Size))
        {
            final int cap = 1 << log2Size;
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion);
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            for (int round = 0; round < 3 * cap + 1; round++)
            {
                // Move the sync to every slot and both wrap phases.
                final int sync = p.claimCompletion(true);
                assertTrue(sync >= 0);
                p.publish();
                assertEquals(1, device.drain(cap), "the device consumed the sync");
                final int syncOffset = p.slotOffset(sync);
                assertEquals(TestCompletionEntry.DEFAULT_VALUE, memory.buffer().getInt(syncOffset), "word written");

                final int cons = registers.getConsAcquire();
                assertEquals(cap, QueueIndex.freeSpace(p.claimed(), cons, log2Size),
                    "by CONS alone the whole ring, sync slot included, would be free");
                assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(cap), "the held sync slot is not free");
                assertEquals(IssueStatus.TIMEOUT, p.claim(cap));

                if (cap > 1)
                {
                    final int start = p.tryClaim(cap - 1);
                    assertEquals(p.slotOffset(sync + 1), p.slotOffset(start));
                    for (int i = 0; i < cap - 1; i++)
                    {
                        assertNotEquals(syncOffset, p.slotOffset(start + i));
                        StressEntry.write(p.buffer(), p.slotOffset(start + i), round, 0);
                    }
                    p.publish();
                    assertEquals(cap - 1, device.drain(cap));
                }
                assertEquals(TestCompletionEntry.DEFAULT_VALUE, memory.buffer().getInt(syncOffset),
                    "the word survived until the waiter looks");

                assertEquals(IssueStatus.OK, p.awaitCompletion(sync));
                assertEquals(0, p.heldCompletions());
                final int next = p.tryClaim(1);
                assertEquals(syncOffset, p.slotOffset(next), "released: the sync slot is reused next");
                StressEntry.write(p.buffer(), p.slotOffset(next), round, 0);
                p.publish();
                assertEquals(1, device.drain(cap));
            }
            device.close();
            p.close();
        }
    }

    @Test
    void oldestHeldCompletionLimitsSpaceEvenWhenAwaitedOutOfOrder()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion);
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            final int first = p.claimCompletion(true);
            final int second = p.claimCompletion(true);
            p.publish();
            assertEquals(2, device.drain(4));
            assertEquals(2, p.heldCompletions());
            assertEquals(2, p.tryClaim(2), "slots 2 and 3 are free");
            assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(1));

            assertEquals(IssueStatus.OK, p.awaitCompletion(second));
            assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(1), "the older one still holds slot 0");
            assertEquals(IssueStatus.OK, p.awaitCompletion(first));
            p.publish();
            assertEquals(2, device.drain(4));
            assertEquals(4, p.tryClaim(2), "both released");
            device.close();
            p.close();
        }
    }

    @Test
    void awaitCompletionTimesOutKeepsTheHoldThenSucceeds()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            final int sync = p.claimCompletion(true);
            p.publish();
            assertEquals(IssueStatus.TIMEOUT, p.awaitCompletion(sync), "no device ran");
            assertEquals(1, p.heldCompletions());

            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion);
            assertEquals(1, device.drain(4));
            assertEquals(IssueStatus.OK, p.awaitCompletion(sync));
            assertEquals(0, p.heldCompletions());
            device.close();
            p.close();
        }
    }

    @Test
    void awaitCompletionDrivenInlineByTheIdleStrategy()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(3))
        {
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion, 1);
            final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(device);
            final SingleWriterProducer p = producer(memory, registers, idle);
            final int start = p.claim(3);
            for (int i = 0; i < 3; i++)
            {
                StressEntry.write(p.buffer(), p.slotOffset(start + i), i, 0);
            }
            final int sync = p.claimCompletion(true);
            p.publish();
            assertEquals(IssueStatus.OK, p.awaitCompletion(sync));
            assertEquals(4, idle.idles(), "three entries and the sync, one device step each");
            device.close();
            p.close();
        }
    }

    @Test
    void droppedWriteBackEndsTheHoldWithCommandError()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            // A device that does not recognise completions never writes the word, but consumes the entry.
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, null);
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            final int sync = p.claimCompletion(true);
            p.publish();
            assertEquals(1, device.drain(4));
            assertEquals(IssueStatus.COMMAND_ERROR, p.awaitCompletion(sync));
            assertEquals(0, p.heldCompletions());
            assertEquals(1, p.tryClaim(4), "the whole ring is free again");
            device.close();
            p.close();
        }
    }

    @Test
    void awaitCompletionRejectsPositionsThatAreNotOutstanding()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            final int plain = p.claimCompletion(false);
            final int held = p.claimCompletion(true);
            assertThrows(IllegalArgumentException.class, () -> p.awaitCompletion(held), "not published yet");
            p.publish();
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.awaitCompletion(plain));
            assertTrue(e.getMessage().contains("position=0x0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.awaitCompletion(held + 4), "other wrap");
            assertThrows(IllegalArgumentException.class, () -> p.awaitCompletion(held | 0x100), "stray bits");
            p.close();
        }
    }

    @Test
    void awaitConsumedPollsCons()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final QueueConsumer device = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion, 1);
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            final int sync = p.claimCompletion(false);
            p.publish();
            assertEquals(IssueStatus.TIMEOUT, p.awaitConsumed(sync));
            assertEquals(1, device.drain(1));
            assertEquals(IssueStatus.OK, p.awaitConsumed(sync));
            assertEquals(TestCompletionEntry.KIND, memory.buffer().getInt(0), "no write-back asked, none written");
            assertEquals(0, p.heldCompletions());

            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.awaitConsumed(1));
            assertTrue(e.getMessage().contains("position=0x1"), e.getMessage());
            device.close();
            p.close();
        }
    }

    @Test
    void completionNeedsAFormatAndAFormatThatCanSignal()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final SingleWriterProducer none = new SingleWriterProducer(
                memory, registers, null, NoOpIdleStrategy.INSTANCE, TIMEOUT_NS);
            assertThrows(IllegalStateException.class, () -> none.claimCompletion(true));
            none.close();

            final CompletionEntry broken = new CompletionEntry()
            {
                public void write(final MutableDirectBuffer buffer, final int offset, final long address)
                {
                    buffer.putLong(offset, 0);
                    buffer.putLong(offset + 8, address);
                }

                public boolean isCompletion(final DirectBuffer buffer, final int offset)
                {
                    return true;
                }

                public long writeBackAddress(final DirectBuffer buffer, final int offset)
                {
                    return buffer.getLong(offset + 8);
                }

                public int writeBackValue(final DirectBuffer buffer, final int offset)
                {
                    return 0;
                }
            };
            final SingleWriterProducer p = new SingleWriterProducer(
                memory, registers, broken, NoOpIdleStrategy.INSTANCE, TIMEOUT_NS);
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.claimCompletion(true));
            assertTrue(e.getMessage().contains("write-back value"), e.getMessage());
            p.close();
        }
    }

    @Test
    void startsFromTheRegistersOfAQueueInUseAndRefusesInconsistentOnes()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            registers.putProdRelease(6);
            registers.putConsRelease(ConsRegister.withErr(4, CommandError.ABT));
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            assertEquals(6, p.claimed());
            assertEquals(6, p.tryClaim(2));
            assertEquals(SingleWriterProducer.NO_SPACE, p.tryClaim(1));
            p.close();

            registers.putProdRelease(1);
            registers.putConsRelease(2); // producer behind the consumer: impossible
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> producer(memory, registers, NoOpIdleStrategy.INSTANCE));
            assertTrue(e.getMessage().contains("PROD=0x1") && e.getMessage().contains("CONS=0x2"), e.getMessage());
            assertEquals(0, memory.holders(), "a refused producer retains nothing");
        }
    }

    @Test
    void negativeTimeoutIsNamed()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SingleWriterProducer(memory, registers, completion, NoOpIdleStrategy.INSTANCE, -1));
            assertTrue(e.getMessage().contains("timeoutNs=-1"), e.getMessage());
        }
    }

    @Test
    void closeReleasesMemoryAndLaterClaimsReportClosed()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(2))
        {
            final SingleWriterProducer p = producer(memory, registers, NoOpIdleStrategy.INSTANCE);
            assertEquals(1, memory.holders());
            p.close();
            p.close();
            assertEquals(0, memory.holders());
            assertEquals(IssueStatus.CLOSED, p.tryClaim(1));
            assertEquals(IssueStatus.CLOSED, p.claim(1));
            assertEquals(IssueStatus.CLOSED, p.claimCompletion(true));
        }
    }

    @Test
    void closeFromAnotherThreadReleasesAWaitingOwner() throws Exception
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(1))
        {
            final SingleWriterProducer p = new SingleWriterProducer(memory, registers, completion,
                new BackoffIdleStrategy(1, 1, 1_000, 100_000), TimeUnit.SECONDS.toNanos(30));
            assertEquals(0, p.claim(2));
            p.publish();
            final AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            final Thread owner = new Thread(() -> result.set(p.claim(1)));
            owner.start();
            // Close while the owner is (or is about to be) waiting for space that never comes.
            while (owner.isAlive() && !isWaiting(owner))
            {
                Thread.onSpinWait();
            }
            p.close();
            owner.join(TimeUnit.SECONDS.toMillis(20));
            assertEquals(IssueStatus.CLOSED, result.get());
        }
    }

    private static boolean isWaiting(final Thread t)
    {
        final Thread.State s = t.getState();
        return s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING;
    }
}
