package dev.cmdq.bench.ring;

import dev.cmdq.queue.DirectRingMemory;
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
    /** Producer-side cursor and consumer-side fold on lines of their own (no false sharing between threads). */
    private final PaddedSupplier writer = new PaddedSupplier(1);
    private final PaddedChecksum reader = new PaddedChecksum();

    CmdqRing(final int capacity)
    {
        memory = DirectRingMemory.allocate(Integer.numberOfTrailingZeros(capacity));
        registers = MappedQueueRegisters.allocate();
        producer = new SingleWriterProducer(
            memory, registers, null, new BackoffIdleStrategy(), TimeUnit.SECONDS.toNanos(1));
        consumer = new QueueConsumer(memory, registers, reader, null);
        buffer = producer.buffer();
    }

    /**
     * Writes {@code n} entries in place and publishes them with one PROD store, then lets the consumer
     * read them. Single-thread use only.
     *
     * @param n entries.
     * @return the running checksum.
     */
    long writeAndRead(final int n)
    {
        if (tryWrite(n) != n || consumer.drain(n) != n)
        {
            throw new IllegalStateException("ring did not move " + n + " entries");
        }
        return reader.checksum;
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
     * @return the consumer-side fold, for benchmarks that read its checksum without going through the ring.
     */
    PaddedChecksum reader()
    {
        return reader;
    }

    /**
     * @return the running checksum of everything read.
     */
    long checksum()
    {
        return reader.checksum;
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
