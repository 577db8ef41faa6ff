package dev.cmdq.bench.ring;

import org.jctools.queues.MessagePassingQueue;

/**
 * The producer side's state (holder pool cursor and sequence) on cache lines of its own, so the
 * consumer's writes never invalidate it (see {@link PaddedChecksum}).
 */
final class PaddedSupplier implements MessagePassingQueue.Supplier<Entry16>
{
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    final Entry16[] pool;
    final int poolMask;
    int next;
    long sequence;
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    PaddedSupplier(final int poolSize)
    {
        pool = new Entry16[poolSize];
        poolMask = poolSize - 1;
        for (int i = 0; i < poolSize; i++)
        {
            pool[i] = new Entry16();
        }
    }

    @Override
    public Entry16 get()
    {
        final Entry16 e = pool[next++ & poolMask];
        final long s = sequence++;
        e.dword0 = s;
        e.dword1 = ~s;
        return e;
    }
}
