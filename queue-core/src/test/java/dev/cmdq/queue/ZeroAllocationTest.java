package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm producer/consumer loop allocates nothing: claim, in-place write, publish, drain with a
 * handler, completion with write-back and its wait, CONS-polled completion and its wait, and the error
 * path (halt, recovery, resume). Measured with the thread's allocated-bytes counter; no timing.
 */
class ZeroAllocationTest
{
    private static final int BLOCK = 20_000;
    private static final int MAX_WARM_UP_BLOCKS = 100;
    private static final int MEASURED_BLOCKS = 3;

    private long checksum;

    @Test
    void probeItselfAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        AllocationProbe.allocatedBytes();
        final long before = AllocationProbe.allocatedBytes();
        final long after = AllocationProbe.allocatedBytes();
        assertEquals(0, after - before);
        final long a = AllocationProbe.allocatedBytes();
        final Object[] o = new Object[16];
        final long b = AllocationProbe.allocatedBytes();
        assertTrue(b - a >= 16 * 4, "the probe sees an allocation (" + (b - a) + " bytes) " + o.length);
    }

    @Test
    void aBlockThatAllocatesOncePerRunNeverPasses()
    {
        final Runnable allocatingOnce = () -> sink = new long[2];
        assertTrue(AllocationProbe.bytesOnceWarm(allocatingOnce, 10, 3) != 0);
    }

    private Object sink;

    @Test
    void warmProducerConsumerLoopAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported());
        try (DirectRingMemory memory = DirectRingMemory.allocate(4);
            MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final TestCompletionEntry completion = new TestCompletionEntry();
            final QueueConsumer consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
            final SingleWriterProducer producer = new SingleWriterProducer(
                memory, registers, completion, NoOpIdleStrategy.INSTANCE, 1_000_000_000L);
            final CommandErrorRecovery recovery = new CommandErrorRecovery(memory, registers, completion);

            final Runnable block = () ->
            {
                for (int i = 0; i < BLOCK; i++)
                {
                    round(producer, consumer, recovery, i);
                }
            };
            final long allocated = AllocationProbe.bytesOnceWarm(block, MAX_WARM_UP_BLOCKS, MEASURED_BLOCKS);
            assertEquals(0, allocated, "bytes allocated by " + MEASURED_BLOCKS + " x " + BLOCK + " warm rounds");
            assertTrue(checksum != 0);
            producer.close();
            consumer.close();
        }
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (StressEntry.isStressEntry(buffer, offset))
        {
            if (StressEntry.flags(buffer, offset) == 1)
            {
                return CommandError.ILL;
            }
            checksum += StressEntry.sequence(buffer, offset);
        }
        return CommandError.NONE;
    }

    private static void round(
        final SingleWriterProducer producer, final QueueConsumer consumer, final CommandErrorRecovery recovery, final int i)
    {
        final int n = 1 + (i & 3);
        final int start = producer.claim(n);
        for (int k = 0; k < n; k++)
        {
            StressEntry.write(producer.buffer(), producer.slotOffset(start + k), i, (i & 255) == 0 && k == 0 ? 1 : 0);
        }
        final int sync = producer.claimCompletion(true);
        producer.publish();
        consumer.drain(64);
        if (consumer.isHalted())
        {
            check(recovery.recover() == CommandError.ILL);
            consumer.drain(64);
        }
        check(producer.awaitCompletion(sync) == IssueStatus.OK);

        final int polled = producer.claimCompletion(false);
        producer.publish();
        check(consumer.doWork() == 1);
        check(producer.awaitConsumed(polled) == IssueStatus.OK);
    }

    private static void check(final boolean condition)
    {
        if (!condition)
        {
            throw new AssertionError("loop step failed");
        }
    }
}
