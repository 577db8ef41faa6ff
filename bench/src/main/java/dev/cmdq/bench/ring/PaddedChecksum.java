package dev.cmdq.bench.ring;

import dev.cmdq.queue.EntryHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.jctools.queues.MessagePassingQueue;

/**
 * The consumer side's fold of everything it reads, on cache lines of its own: in two-thread runs the
 * producer's counters must not share a line with it, or every ring pays false sharing and the
 * comparison measures the benchmark instead of the ring. One class serves all three rings' read
 * callbacks in the two-thread runs so they do the same work (single-thread states fold into a field of
 * their own instead, each the same way).
 */
final class PaddedChecksum implements EntryHandler, MessageHandler, MessagePassingQueue.Consumer<Entry16>
{
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    long checksum;
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    @Override
    public int onEntry(final AtomicBuffer b, final int offset, final int cons)
    {
        checksum += b.getLong(offset) ^ b.getLong(offset + 8);
        return 0;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer b, final int index, final int length)
    {
        checksum += b.getLong(index) ^ b.getLong(index + 8);
    }

    @Override
    public void accept(final Entry16 e)
    {
        checksum += e.dword0 ^ e.dword1;
    }
}
