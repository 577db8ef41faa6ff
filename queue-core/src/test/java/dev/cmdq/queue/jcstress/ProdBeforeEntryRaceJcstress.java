package dev.cmdq.queue.jcstress;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.testkit.HeapRingMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Negative control with a real logic race: a producer that stores PROD <em>before</em> writing the
 * entry. The same device as {@link PublishedEntryIsVisibleJcstress} can then consume an entry it does
 * not fully see; this test shows that jcstress, on this machine, observes that outcome — so the
 * positive test's silence means something.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "device ran before the publish")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "device consumed the whole entry")
@Outcome(expect = ACCEPTABLE_INTERESTING, desc = "the race: device consumed an entry not (fully) written")
@State
public class ProdBeforeEntryRaceJcstress
{
    private final HeapRingMemory memory = new HeapRingMemory(1, 0x1000);
    private final MappedQueueRegisters registers =
        MappedQueueRegisters.wrap(new UnsafeBuffer(new byte[MappedQueueRegisters.LENGTH]), 0);
    private final QueueConsumer consumer = new QueueConsumer(memory, registers, this::onEntry, null);
    private int dword0Seen;
    private int dword1Seen;

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        dword0Seen = buffer.getLong(offset) == PublishedEntryIsVisibleJcstress.DWORD0 ? 1 : 0;
        dword1Seen = buffer.getLong(offset + 8) == PublishedEntryIsVisibleJcstress.DWORD1 ? 1 : 0;
        return CommandError.NONE;
    }

    /**
     * Broken producer thread: PROD first, entry second.
     */
    @Actor
    public void producer()
    {
        registers.putProdRelease(1);
        memory.buffer().putLong(0, PublishedEntryIsVisibleJcstress.DWORD0);
        memory.buffer().putLong(8, PublishedEntryIsVisibleJcstress.DWORD1);
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
