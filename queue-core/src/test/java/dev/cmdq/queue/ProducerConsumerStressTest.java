package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * One producer thread, one consumer thread, a small ring that wraps thousands of times. Every entry
 * carries its sequence number and a checksum; the consumer proves no loss, no duplicate, no torn entry
 * and order kept. Completion entries (write-back and CONS-polled) are mixed in, and every completed
 * wait must find every entry before the completion already executed.
 */
@Tag("stress")
class ProducerConsumerStressTest
{
    static final long OPS = Long.getLong("cmdq.stress.ops", 1_000_000);
    static final long SEED = Long.getLong("cmdq.stress.seed", 20261123);
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    static final long DEADLINE_MS = TimeUnit.SECONDS.toMillis(120);

    static IdleStrategy backoff()
    {
        return new BackoffIdleStrategy(16, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    }

    /** The device side: verifies every entry it executes. */
    static final class VerifyingDevice
    {
        final TestCompletionEntry completion;
        final AtomicLong lastExecuted = new AtomicLong(-1);
        final AtomicReference<String> failure = new AtomicReference<>();
        long expected;
        long completions;

        VerifyingDevice(final TestCompletionEntry completion)
        {
            this.completion = completion;
        }

        int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (completion.isCompletion(buffer, offset))
            {
                completions++;
                return CommandError.NONE;
            }
            if (!StressEntry.isIntact(buffer, offset))
            {
                failure.compareAndSet(null, "torn or foreign entry at cons=0x" + Integer.toHexString(cons) +
                    " after seq " + (expected - 1) + ": 0x" + Long.toHexString(buffer.getLong(offset)) +
                    " 0x" + Long.toHexString(buffer.getLong(offset + 8)));
                return CommandError.NONE;
            }
            final long seq = StressEntry.sequence(buffer, offset);
            if (seq != expected)
            {
                failure.compareAndSet(null, (seq < expected ? "duplicate/reordered" : "lost") +
                    " entry: got seq " + seq + ", expected " + expected);
            }
            expected = seq + 1;
            lastExecuted.lazySet(seq);
            return CommandError.NONE;
        }
    }

    @ParameterizedTest(name = "log2Size={0}")
    @ValueSource(ints = {4, 6})
    void noLossNoDuplicateNoTornEntryOrderKept(final int log2Size) throws Exception
    {
        final long ops = OPS;
        try (DirectRingMemory memory = DirectRingMemory.allocate(log2Size);
            MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final TestCompletionEntry completion = new TestCompletionEntry();
            final VerifyingDevice device = new VerifyingDevice(completion);
            final QueueConsumer consumer = new QueueConsumer(memory, registers, device::onEntry, completion, 32);
            final SingleWriterProducer producer = new SingleWriterProducer(memory, registers, completion, backoff(), WAIT_NS);
            final AtomicReference<String> producerFailure = new AtomicReference<>();
            final long[] syncs = {0};
            final AtomicBoolean producerDone = new AtomicBoolean();
            final Thread producerThread = new Thread(() ->
            {
                try
                {
                    produce(producer, ops, device, syncs, producerFailure);
                }
                catch (final Throwable t)
                {
                    producerFailure.compareAndSet(null, t.toString());
                }
                finally
                {
                    producerDone.set(true);
                }
            }, "stress-producer");
            final long[] consumed = {0};
            final Thread consumerThread = new Thread(() ->
            {
                final IdleStrategy idle = backoff();
                final long end = System.currentTimeMillis() + DEADLINE_MS;
                while (true)
                {
                    // Read "done" before draining: a drain that then finds nothing has seen every publish.
                    final boolean finished = producerDone.get();
                    final int last = consumer.drain(64);
                    consumed[0] += last;
                    if (finished && last == 0)
                    {
                        break;
                    }
                    idle.idle(last);
                    if (System.currentTimeMillis() > end)
                    {
                        device.failure.compareAndSet(null, "consumer gave up at the safety deadline");
                        break;
                    }
                }
            }, "stress-device");
            try
            {
                consumerThread.start();
                producerThread.start();
                producerThread.join(DEADLINE_MS + 10_000);
                consumerThread.join(DEADLINE_MS + 10_000);
                assertFalse(producerThread.isAlive() || consumerThread.isAlive(), "threads ended");

                assertNull(producerFailure.get());
                assertNull(device.failure.get());
                assertEquals(ops, device.expected, "every entry executed");
                assertEquals(syncs[0], device.completions, "every completion executed once");
                assertEquals(ops + syncs[0], consumed[0]);
                assertEquals(0, producer.heldCompletions());
            }
            finally
            {
                producer.close();
                consumer.close();
            }
        }
    }

    private static void produce(
        final SingleWriterProducer producer,
        final long ops,
        final VerifyingDevice device,
        final long[] syncs,
        final AtomicReference<String> failure)
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final int maxBatch = Math.min(8, producer.capacity() - 1);
        final AtomicBuffer buffer = producer.buffer();
        long seq = 0;
        while (seq < ops && failure.get() == null)
        {
            final int n = (int)Math.min(1 + random.nextInt(maxBatch), ops - seq);
            final int start = producer.claim(n);
            if (start < 0)
            {
                failure.set("claim(" + n + ") at seq " + seq + ": " + IssueStatus.name(start));
                return;
            }
            for (int i = 0; i < n; i++)
            {
                StressEntry.write(buffer, producer.slotOffset(start + i), seq++, 0);
            }
            final boolean last = seq == ops;
            if (last || random.nextInt(32) == 0)
            {
                final boolean writeBack = last || random.nextBoolean();
                final int sync = producer.claimCompletion(writeBack);
                if (sync < 0)
                {
                    failure.set("claimCompletion at seq " + seq + ": " + IssueStatus.name(sync));
                    return;
                }
                syncs[0]++;
                producer.publish();
                final int status = writeBack ? producer.awaitCompletion(sync) : producer.awaitConsumed(sync);
                if (status != IssueStatus.OK)
                {
                    failure.set("completion wait at seq " + seq + ": " + IssueStatus.name(status));
                    return;
                }
                // Completion means every entry before it has executed.
                final long done = device.lastExecuted.get();
                if (done != seq - 1)
                {
                    failure.set("completion observed with last executed " + done + " < " + (seq - 1));
                    return;
                }
            }
            else
            {
                producer.publish();
            }
        }
    }
}
