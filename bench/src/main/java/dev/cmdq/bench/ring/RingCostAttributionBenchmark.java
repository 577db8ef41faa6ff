package dev.cmdq.bench.ring;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.EntryHandler;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.SingleWriterProducer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Where the batch-1 cost of the cmdq ring goes (write + read of one 16-byte entry on one thread, as in
 * {@link RingSingleThreadBenchmark#cmdqBatch1}): the SMMU protocol's floor — the same ring memory and
 * register words driven by hand (two payload stores, PROD store, PROD load, two payload loads, CONS
 * store), with none of cmdq's bookkeeping — against cmdq's {@link SingleWriterProducer} and
 * {@link QueueConsumer} each swapped in alone, and both. Compare within one run, as ratios.
 *
 * <pre>
 *   floor              hand producer  + hand consumer
 *   producerOnly       cmdq producer  + hand consumer     - floor = producer bookkeeping
 *   consumerOnly       hand producer  + cmdq consumer     - floor = consumer bookkeeping
 *   cmdq               cmdq producer  + cmdq consumer
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RingCostAttributionBenchmark
{
    private static final int LOG2_SIZE = 10;
    private static final int BYTE_MASK = ((1 << LOG2_SIZE) << 4) - 1;
    private static final int WRAP_INDEX_MASK = (1 << (LOG2_SIZE + 1)) - 1;

    /**
     * One ring, its registers, cmdq's producer and consumer over them, and the hand-driven indices.
     */
    @State(Scope.Thread)
    public static class Ring implements EntryHandler
    {
        DirectRingMemory memory;
        MappedQueueRegisters registers;
        SingleWriterProducer producer;
        QueueConsumer consumer;
        UnsafeBuffer slots;
        UnsafeBuffer words;
        long sequence;
        long checksum;
        int prod;
        int cons;

        /**
         * Builds the ring.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = DirectRingMemory.allocate(LOG2_SIZE);
            registers = MappedQueueRegisters.allocate();
            producer = new SingleWriterProducer(memory, registers, null, new BackoffIdleStrategy(), TimeUnit.SECONDS.toNanos(1));
            consumer = new QueueConsumer(memory, registers, this, null);
            slots = memory.buffer();
            words = registers.words();
        }

        /**
         * Frees the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            producer.close();
            consumer.close();
            memory.close();
            registers.close();
        }

        @Override
        public int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            checksum += buffer.getLong(offset) ^ buffer.getLong(offset + 8);
            return 0;
        }

        void handWrite()
        {
            final int p = prod;
            final int offset = (p << 4) & BYTE_MASK;
            final long seq = sequence++;
            slots.putLong(offset, seq);
            slots.putLong(offset + 8, ~seq);
            prod = (p + 1) & WRAP_INDEX_MASK;
            words.putIntRelease(MappedQueueRegisters.PROD_OFFSET, prod);
        }

        void cmdqWrite()
        {
            final int start = producer.tryClaim(1);
            final int offset = producer.slotOffset(start);
            final long seq = sequence++;
            slots.putLong(offset, seq);
            slots.putLong(offset + 8, ~seq);
            producer.publish();
        }

        void handRead()
        {
            final int c = cons;
            if ((words.getIntAcquire(MappedQueueRegisters.PROD_OFFSET) & WRAP_INDEX_MASK) != c)
            {
                final int offset = (c << 4) & BYTE_MASK;
                checksum += slots.getLong(offset) ^ slots.getLong(offset + 8);
                cons = (c + 1) & WRAP_INDEX_MASK;
                words.putIntRelease(MappedQueueRegisters.CONS_OFFSET, cons);
            }
        }
    }

    /**
     * @param r the ring.
     * @return the checksum.
     */
    @Benchmark
    public long floor(final Ring r)
    {
        r.handWrite();
        r.handRead();
        return r.checksum;
    }

    /**
     * @param r the ring.
     * @return the checksum.
     */
    @Benchmark
    public long producerOnly(final Ring r)
    {
        r.cmdqWrite();
        r.handRead();
        return r.checksum;
    }

    /**
     * @param r the ring.
     * @return the checksum.
     */
    @Benchmark
    public long consumerOnly(final Ring r)
    {
        r.handWrite();
        r.consumer.drain(1);
        return r.checksum;
    }

    /**
     * @param r the ring.
     * @return the checksum.
     */
    @Benchmark
    public long cmdq(final Ring r)
    {
        r.cmdqWrite();
        r.consumer.drain(1);
        return r.checksum;
    }
}
