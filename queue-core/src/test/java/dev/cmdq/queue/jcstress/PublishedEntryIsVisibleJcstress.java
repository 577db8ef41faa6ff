package dev.cmdq.queue.jcstress;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.SingleWriterProducer;
import dev.cmdq.queue.testkit.HeapRingMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The real producer writes an entry in place and publishes it (one PROD release store); the real
 * consumer acquires PROD and reads the entry. If the device consumed the entry it must see both dwords
 * as written. Result: (entries consumed, dword0 as written, dword1 as written).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "device ran before the publish")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "device consumed the whole entry")
@Outcome(expect = FORBIDDEN, desc = "device consumed an entry it could not fully see")
@State
public class PublishedEntryIsVisibleJcstress
{
    static final long DWORD0 = 0x0123_4567_89AB_CDEFL;
    static final long DWORD1 = 0x7EDC_BA98_7654_3210L;

    private final HeapRingMemory memory = new HeapRingMemory(1, 0x1000);
    private final MappedQueueRegisters registers =
        MappedQueueRegisters.wrap(new UnsafeBuffer(new byte[MappedQueueRegisters.LENGTH]), 0);
    private final SingleWriterProducer producer =
        new SingleWriterProducer(memory, registers, null, NoOpIdleStrategy.INSTANCE, 0);
    private final QueueConsumer consumer = new QueueConsumer(memory, registers, this::onEntry, null);
    private int dword0Seen;
    private int dword1Seen;

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        dword0Seen = buffer.getLong(offset) == DWORD0 ? 1 : 0;
        dword1Seen = buffer.getLong(offset + 8) == DWORD1 ? 1 : 0;
        return CommandError.NONE;
    }

    /**
     * Producer thread.
     */
    @Actor
    public void producer()
    {
        final int position = producer.tryClaim(1);
        final int offset = producer.slotOffset(position);
        producer.buffer().putLong(offset, DWORD0);
        producer.buffer().putLong(offset + 8, DWORD1);
        producer.publish();
    }

    /**
     * Device thread.
     *
     * @param r consumed, dword0 seen, dword1 seen.
     */
    @Actor
    public void device(final III_Result r)
    {
        r.r1 = consumer.drain(1);
        r.r2 = dword0Seen;
        r.r3 = dword1Seen;
    }
}
