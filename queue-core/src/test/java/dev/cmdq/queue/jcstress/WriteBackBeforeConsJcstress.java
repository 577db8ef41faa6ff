package dev.cmdq.queue.jcstress;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.testkit.HeapRingMemory;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The real consumer completes a write-back completion entry; a waiter reads CONS (acquire) and then the
 * completion word. Once CONS is past the entry, the word must be there — the property that lets the
 * producer conclude "CONS past, no word = the write-back was dropped". Result: (CONS past the entry,
 * word written).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "nothing done yet")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "word written, CONS not moved yet")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "completed")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "CONS moved past the completion before its word")
@State
public class WriteBackBeforeConsJcstress
{
    private static final long DEVICE_BASE = 0x4000;
    private static final int VALUE = 0x600D;

    private final HeapRingMemory memory = new HeapRingMemory(1, DEVICE_BASE);
    private final MappedQueueRegisters registers =
        MappedQueueRegisters.wrap(new UnsafeBuffer(new byte[MappedQueueRegisters.LENGTH]), 0);
    private final QueueConsumer consumer;

    /**
     * A published completion entry in slot 0 that asks for its own first word to be written.
     */
    public WriteBackBeforeConsJcstress()
    {
        final TestCompletionEntry completion = new TestCompletionEntry(VALUE);
        completion.write(memory.buffer(), 0, DEVICE_BASE);
        registers.putProdRelease(1);
        consumer = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion);
    }

    /**
     * Device thread.
     */
    @Actor
    public void device()
    {
        consumer.drain(1);
    }

    /**
     * Waiter thread: CONS first, then the word.
     *
     * @param r CONS past the entry, word written.
     */
    @Actor
    public void waiter(final II_Result r)
    {
        final int cons = registers.getConsAcquire();
        final int word = memory.buffer().getIntAcquire(0);
        r.r1 = QueueIndex.consumedPast(cons, 0, 1) ? 1 : 0;
        r.r2 = word == VALUE ? 1 : 0;
    }
}
