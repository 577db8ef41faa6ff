package dev.cmdq.bench.ring;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.EntryHandler;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.SingleWriterProducer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The cmdq ring as the benchmarks drive it: single-writer producer and device-side consumer over
 * direct ring memory and mapped registers, moving the same 16-byte payload as the peers (sequence,
 * inverted sequence) and folding what it reads into a checksum.
 */
final class CmdqRing implements AutoCloseable
{
    private final DirectRingMemory memory;
    private final MappedQueueRegisters registers;
    private final SingleWriterProducer producer;
    private final QueueConsumer consumer;
    private final AtomicBuffer buffer;
    /** Producer-side cursor on lines of its own (no false sharing with the consumer's fold in two-thread use). */
    private final PaddedSupplier writer = new PaddedSupplier(1);

    /**
     * A ring whose consumer folds into a {@link PaddedChecksum} of its own (two-thread use).
     */
    CmdqRing(final int capacity)
    {
        this(capacity, new PaddedChecksum());
    }

    /**
     * A ring whose consumer hands every entry to {@code handler} (single-thread use: the benchmark state
     * reads the entries itself, as the JCTools state does).
     */
    CmdqRing(final int capacity, final EntryHandler handler)
    {
        memory = DirectRingMemory.allocate(Integer.numberOfTrailingZeros(capacity));
        registers = MappedQueueRegisters.allocate();
        producer = new SingleWriterProducer(
            memory, registers, null, new BackoffIdleStrategy(), TimeUnit.SECONDS.toNanos(1));
        consumer = new QueueConsumer(memory, registers, handler, null);
        buffer = producer.buffer();
    }

    /**
     * Writes {@code n} entries in place and publishes them with one PROD store, then lets the consumer
     * read them. Single-thread use only.
     *
     * @param n entries.
     */
    void writeAndRead(final int n)
    {
        if (tryWrite(n) != n || consumer.drain(n) != n)
        {
            throw new IllegalStateException("ring did not move " + n + " entries");
        }
    }

    /**
     * Claims {@code n} slots if they are free now, writes them in place, publishes.
     *
     * @param n entries.
     * @return {@code n}, or 0 if the ring had no room.
     */
    int tryWrite(final int n)
    {
        final int start = producer.tryClaim(n);
        if (start < 0)
        {
            return 0;
        }
        final SingleWriterProducer p = producer;
        final AtomicBuffer b = buffer;
        long seq = writer.sequence;
        for (int i = 0; i < n; i++)
        {
            final int offset = p.slotOffset(start + i);
            b.putLong(offset, seq);
            b.putLong(offset + 8, ~seq);
            seq++;
        }
        writer.sequence = seq;
        producer.publish();
        return n;
    }

    /**
     * @param limit most entries to consume.
     * @return entries consumed.
     */
    int read(final int limit)
    {
        return consumer.drain(limit);
    }

    /**
     * @return the producer, for benchmarks that publish and wait themselves.
     */
    SingleWriterProducer producer()
    {
        return producer;
    }

    /**
     * @return the consumer, for benchmarks that drive it themselves.
     */
    QueueConsumer consumer()
    {
        return consumer;
    }

    /**
     * @return the registers.
     */
    MappedQueueRegisters registers()
    {
        return registers;
    }

    /**
     * @return the ring size exponent.
     */
    int log2Size()
    {
        return memory.log2Size();
    }


    @Override
    public void close()
    {
        producer.close();
        consumer.close();
        memory.close();
        registers.close();
    }
}
