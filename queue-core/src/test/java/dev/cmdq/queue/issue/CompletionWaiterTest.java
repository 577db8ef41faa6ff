package dev.cmdq.queue.issue;

import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both completion waits: success, timeout on the clock, CLOSED; CONS polling returns the CONS it saw
 * (without ERR) and decides "consumed past" across the wrap.
 */
class CompletionWaiterTest
{
    private final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(256 * 16));

    private CompletionWaiter waiter(final MappedQueueRegisters registers)
    {
        return new CompletionWaiter(ring, registers, 8,
            new WaitPolicy(100, () -> NoOpIdleStrategy.INSTANCE, new SteppingNanoClock(10)));
    }

    @Test
    void writeBackWaitEndsWhenTheWordHoldsTheValueOrTimesOutOrIsClosed()
    {
        try (MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final CompletionWaiter w = waiter(registers);
            ring.putInt(32, 0xC5);
            assertEquals(IssueStatus.TIMEOUT, w.awaitWriteBack(32, 0));
            ring.putInt(32, 0);
            assertEquals(IssueStatus.OK, w.awaitWriteBack(32, 0));
            ring.putInt(32, 0xC5);
            w.close();
            assertEquals(IssueStatus.CLOSED, w.awaitWriteBack(32, 0));
        }
    }

    @Test
    void consPollReturnsTheConsThatShowedItAcrossTheWrap()
    {
        try (MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final CompletionWaiter w = waiter(registers);
            registers.putConsRelease(0xFE);
            assertEquals(IssueStatus.TIMEOUT, w.awaitConsumedPast(0xFE));
            registers.putConsRelease(0x0200_0000 | 0x101); // ERR set, WRAP = 1, index 1
            assertEquals(0x101, w.awaitConsumedPast(0xFE));
            w.close();
            registers.putConsRelease(0x101);
            assertEquals(IssueStatus.CLOSED, w.awaitConsumedPast(0x101));
        }
    }
}
