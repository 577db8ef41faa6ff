package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Halt, repair, acknowledge and resume under concurrency: a producer thread, a device thread whose
 * handler rejects marked entries (ILL always; ABT on the first attempt only, like a failed fetch), and a
 * software thread that watches GERROR and runs {@link CommandErrorRecovery}. Every good entry executes
 * exactly once and in order, every ILL entry is replaced and never executes, every ABT entry executes
 * exactly once after its retry, and each bad entry halts the queue exactly once.
 */
@Tag("stress")
class ErrorRecoveryStressTest
{
    private static final int ILL_FLAG = 1;
    private static final int ABT_FLAG = 2;
    private static final int LOG2_SIZE = 5;

    /** Which entries are bad, derived from the seed so the device can check it independently. */
    static int flagsFor(final long seq)
    {
        final long h = StressEntry.mix64(seq ^ ProducerConsumerStressTest.SEED);
        final int bucket = (int)Long.remainderUnsigned(h, 400);
        return bucket == 0 ? ILL_FLAG : bucket == 1 ? ABT_FLAG : 0;
    }

    /** Device side: executes or rejects, and checks the sequence of what it executes. */
    static final class RejectingDevice
    {
        final TestCompletionEntry completion;
        final AtomicReference<String> failure = new AtomicReference<>();
        long nextSeq;
        long executed;
        long illRejections;
        long abtRejections;
        long pendingAbt = -1;

        RejectingDevice(final TestCompletionEntry completion)
        {
            this.completion = completion;
        }

        int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (completion.isCompletion(buffer, offset))
            {
                return CommandError.NONE;
            }
            if (!StressEntry.isIntact(buffer, offset))
            {
                failure.compareAndSet(null, "torn entry at cons 0x" + Integer.toHexString(cons));
                return CommandError.NONE;
            }
            final long seq = StressEntry.sequence(buffer, offset);
            final int flags = StressEntry.flags(buffer, offset);
            if (flags != flagsFor(seq))
            {
                failure.compareAndSet(null, "flags of seq " + seq + " corrupted");
            }
            // Everything skipped since the last entry must be an ILL entry that was replaced.
            for (long s = nextSeq; s < seq; s++)
            {
                if (flagsFor(s) != ILL_FLAG)
                {
                    failure.compareAndSet(null, "good entry " + s + " lost (next seen " + seq + ")");
                }
            }
            if (seq < nextSeq)
            {
                failure.compareAndSet(null, "entry " + seq + " seen again after " + (nextSeq - 1));
            }
            if (flags == ILL_FLAG)
            {
                // Seen exactly once: afterwards the slot holds a completion entry.
                illRejections++;
                nextSeq = seq + 1;
                return CommandError.ILL;
            }
            if (flags == ABT_FLAG && pendingAbt != seq)
            {
                abtRejections++;
                pendingAbt = seq;
                nextSeq = seq;
                return CommandError.ABT;
            }
            pendingAbt = -1;
            nextSeq = seq + 1;
            executed++;
            return CommandError.NONE;
        }
    }

    @Test
    void everyGoodEntryOnceInOrderEveryBadEntryHaltsOnce() throws Exception
    {
        final long ops = Math.max(10_000, ProducerConsumerStressTest.OPS / 5);
        long expectedIll = 0;
        long expectedAbt = 0;
        for (long s = 0; s < ops; s++)
        {
            expectedIll += flagsFor(s) == ILL_FLAG ? 1 : 0;
            expectedAbt += flagsFor(s) == ABT_FLAG ? 1 : 0;
        }
        assertTrue(expectedIll > 10 && expectedAbt > 10, "the seed marks enough bad entries");

        try (DirectRingMemory memory = DirectRingMemory.allocate(LOG2_SIZE);
            MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final TestCompletionEntry completion = new TestCompletionEntry();
            final RejectingDevice device = new RejectingDevice(completion);
            final QueueConsumer consumer = new QueueConsumer(memory, registers, device::onEntry, completion, 16);
            final SingleWriterProducer producer = new SingleWriterProducer(
                memory, registers, completion, ProducerConsumerStressTest.backoff(), ProducerConsumerStressTest.WAIT_NS);
            final CommandErrorRecovery recovery = new CommandErrorRecovery(memory, registers, completion);
            final AtomicBoolean producerDone = new AtomicBoolean();
            final AtomicReference<String> producerFailure = new AtomicReference<>();
            final long[] recovered = new long[8];

            final Thread producerThread = new Thread(() ->
            {
                try
                {
                    final SplittableRandom random = new SplittableRandom(ProducerConsumerStressTest.SEED);
                    long seq = 0;
                    while (seq < ops)
                    {
                        final int n = (int)Math.min(1 + random.nextInt(8), ops - seq);
                        final int start = producer.claim(n);
                        if (start < 0)
                        {
                            producerFailure.set("claim at seq " + seq + ": " + IssueStatus.name(start));
                            return;
                        }
                        for (int i = 0; i < n; i++, seq++)
                        {
                            StressEntry.write(producer.buffer(), producer.slotOffset(start + i), seq, flagsFor(seq));
                        }
                        producer.publish();
                    }
                    final int sync = producer.claimCompletion(true);
                    producer.publish();
                    final int status = sync < 0 ? sync : producer.awaitCompletion(sync);
                    if (status != IssueStatus.OK)
                    {
                        producerFailure.set("final completion: " + IssueStatus.name(status));
                    }
                }
                catch (final Throwable t)
                {
                    producerFailure.compareAndSet(null, t.toString());
                }
                finally
                {
                    producerDone.set(true);
                }
            }, "recovery-producer");

            final Thread deviceThread = new Thread(() ->
            {
                final IdleStrategy idle = ProducerConsumerStressTest.backoff();
                final long end = System.currentTimeMillis() + ProducerConsumerStressTest.DEADLINE_MS;
                while (!producerDone.get() && System.currentTimeMillis() < end)
                {
                    idle.idle(consumer.drain(64));
                }
            }, "recovery-device");

            final Thread softwareThread = new Thread(() ->
            {
                final IdleStrategy idle = ProducerConsumerStressTest.backoff();
                final long end = System.currentTimeMillis() + ProducerConsumerStressTest.DEADLINE_MS;
                while (!producerDone.get() && System.currentTimeMillis() < end)
                {
                    final int active = GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire());
                    if ((active & GlobalError.CMDQ_ERR) != 0)
                    {
                        final int code = recovery.recover();
                        recovered[code < 0 ? 7 : code]++;
                        idle.reset();
                    }
                    else
                    {
                        idle.idle();
                    }
                }
            }, "recovery-software");

            try
            {
                deviceThread.start();
                softwareThread.start();
                producerThread.start();
                for (final Thread t : new Thread[] {producerThread, deviceThread, softwareThread})
                {
                    t.join(ProducerConsumerStressTest.DEADLINE_MS + 10_000);
                    assertFalse(t.isAlive(), t.getName() + " ended");
                }

                assertNull(producerFailure.get());
                assertNull(device.failure.get());
                assertEquals(ops - expectedIll, device.executed, "every good entry (ABT ones after retry) executed once");
                assertEquals(ops, device.nextSeq, "the last entry was reached");
                assertEquals(expectedIll, device.illRejections, "each ILL entry rejected exactly once");
                assertEquals(expectedAbt, device.abtRejections, "each ABT entry rejected exactly once");
                assertEquals(expectedIll + expectedAbt, consumer.halts(), "each bad entry halted the queue once");
                assertEquals(expectedIll, recovered[CommandError.ILL], "software replaced every ILL entry");
                assertEquals(expectedAbt, recovered[CommandError.ABT], "software acknowledged every ABT");
                assertEquals(0, recovered[7], "no recovery without an active error");
                assertEquals(0, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
            }
            finally
            {
                producer.close();
                consumer.close();
            }
        }
    }
}
