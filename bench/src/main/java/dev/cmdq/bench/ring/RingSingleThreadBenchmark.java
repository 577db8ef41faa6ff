package dev.cmdq.bench.ring;

import dev.cmdq.queue.EntryHandler;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.SingleWriterProducer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;


/**
 * Cost per 16-byte entry of write + read on one thread, through the cmdq single-writer ring and its
 * two best-known peers, at batch 1 and batch 64. Every variant moves the same payload (two longs in,
 * two longs out, folded into a checksum that is returned so nothing is dead code), and every peer is
 * used at its best: JCTools SPSC with {@code fill}/{@code drain} at batch 64 and preallocated holders;
 * Agrona's one-to-one ring with {@code tryClaim}/{@code commit} and a read limit, draining until the
 * whole batch is read (a read that only consumes wrap padding returns 0).
 *
 * <p>Scores are ns per entry ({@link OperationsPerInvocation} = batch). Single-thread figures are the
 * stable ones on this 2-vCPU machine; compare them as ratios within one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RingSingleThreadBenchmark
{
    /** Ring size in entries for every implementation. */
    static final int CAPACITY = 1024;
    /** The large batch. */
    static final int BATCH = 64;

    /**
     * The cmdq single-writer ring with its consumer on the same thread; the state reads the entries
     * itself (its {@link EntryHandler}), as the JCTools state is its own {@code drain} consumer.
     */
    @State(Scope.Thread)
    public static class Cmdq implements EntryHandler
    {
        CmdqRing ring;
        SingleWriterProducer producer;
        QueueConsumer consumer;
        UnsafeBuffer buffer;
        long sequence;
        long checksum;

        /**
         * Builds the ring.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            ring = new CmdqRing(CAPACITY, this);
            producer = ring.producer();
            consumer = ring.consumer();
            buffer = producer.buffer();
        }

        /**
         * Frees the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            ring.close();
        }

        /**
         * Reads one entry's payload.
         */
        @Override
        public int onEntry(final AtomicBuffer b, final int offset, final int cons)
        {
            checksum += b.getLong(offset) ^ b.getLong(offset + 8);
            return 0;
        }
    }

    /**
     * JCTools SPSC queue of preallocated holders.
     */
    @State(Scope.Thread)
    public static class Jctools implements MessagePassingQueue.Supplier<Entry16>, MessagePassingQueue.Consumer<Entry16>
    {
        final SpscArrayQueue<Entry16> queue = new SpscArrayQueue<>(CAPACITY);
        final Entry16[] pool = new Entry16[CAPACITY * 2];
        final int poolMask = pool.length - 1;
        int next;
        long sequence;
        long checksum;

        /**
         * Fills the holder pool.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            for (int i = 0; i < pool.length; i++)
            {
                pool[i] = new Entry16();
            }
        }

        /**
         * Supplies the next holder with its payload written (used by {@code fill}).
         *
         * @return the holder.
         */
        @Override
        public Entry16 get()
        {
            final Entry16 e = pool[next++ & poolMask];
            final long s = sequence++;
            e.dword0 = s;
            e.dword1 = ~s;
            return e;
        }

        /**
         * Reads a holder's payload (used by {@code drain}).
         *
         * @param e the holder.
         */
        @Override
        public void accept(final Entry16 e)
        {
            checksum += e.dword0 ^ e.dword1;
        }
    }

    /**
     * Agrona one-to-one ring buffer with room for at least {@link #CAPACITY} 16-byte records.
     */
    @State(Scope.Thread)
    public static class Agrona implements MessageHandler
    {
        OneToOneRingBuffer ring;
        AtomicBuffer buffer;
        long sequence;
        long checksum;

        /**
         * Builds the ring: records of 8 header + 16 payload bytes, rounded up to a power of two.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            final int dataBytes = Integer.highestOneBit(CAPACITY * 24 - 1) << 1;
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(dataBytes + RingBufferDescriptor.TRAILER_LENGTH));
            ring = new OneToOneRingBuffer(buffer);
        }

        /**
         * Reads one record's payload.
         */
        @Override
        public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer b, final int index, final int length)
        {
            checksum += b.getLong(index) ^ b.getLong(index + 8);
        }
    }

    /**
     * cmdq, one entry: claim, write in place, publish PROD, consumer drains one.
     *
     * @param s the ring.
     * @return the checksum.
     */
    @Benchmark
    public long cmdqBatch1(final Cmdq s)
    {
        // Spelled out here, like the peers' single-entry paths, so JIT inlining treats all three alike.
        final SingleWriterProducer producer = s.producer;
        final int start = producer.tryClaim(1);
        final int offset = producer.slotOffset(start);
        final UnsafeBuffer b = s.buffer;
        final long seq = s.sequence++;
        b.putLong(offset, seq);
        b.putLong(offset + 8, ~seq);
        producer.publish();
        s.consumer.drain(1);
        return s.checksum;
    }

    /**
     * cmdq, 64 entries: one claim, 64 in-place writes, one PROD publish, one drain of 64.
     *
     * @param s the ring.
     * @return the checksum.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long cmdqBatch64(final Cmdq s)
    {
        s.ring.writeAndRead(BATCH);
        return s.checksum;
    }

    /**
     * JCTools, one entry: offer a holder, poll it.
     *
     * @param s the queue.
     * @return the checksum.
     */
    @Benchmark
    public long jctoolsBatch1(final Jctools s)
    {
        s.queue.offer(s.get());
        s.accept(s.queue.poll());
        return s.checksum;
    }

    /**
     * JCTools, 64 entries: {@code fill} then {@code drain}, each limited to the batch.
     *
     * @param s the queue.
     * @return the checksum.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jctoolsBatch64(final Jctools s)
    {
        s.queue.fill(s, BATCH);
        s.queue.drain(s, BATCH);
        return s.checksum;
    }

    /**
     * Agrona, one entry: tryClaim, write in place, commit, read until one record was read.
     *
     * @param s the ring.
     * @return the checksum.
     */
    @Benchmark
    public long agronaBatch1(final Agrona s)
    {
        final OneToOneRingBuffer ring = s.ring;
        final int index = ring.tryClaim(1, 16);
        final AtomicBuffer b = ring.buffer();
        final long seq = s.sequence++;
        b.putLong(index, seq);
        b.putLong(index + 8, ~seq);
        ring.commit(index);
        while (ring.read(s, 1) == 0)
        {
            // only wrap padding was consumed: read again
        }
        return s.checksum;
    }

    /**
     * Agrona, 64 entries: 64 × tryClaim/commit, then reads with a limit until the batch is read.
     *
     * @param s the ring.
     * @return the checksum.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long agronaBatch64(final Agrona s)
    {
        final OneToOneRingBuffer ring = s.ring;
        final AtomicBuffer b = ring.buffer();
        long seq = s.sequence;
        for (int i = 0; i < BATCH; i++)
        {
            final int index = ring.tryClaim(1, 16);
            b.putLong(index, seq);
            b.putLong(index + 8, ~seq);
            ring.commit(index);
            seq++;
        }
        s.sequence = seq;
        int read = 0;
        while (read < BATCH)
        {
            read += ring.read(s, BATCH - read);
        }
        return s.checksum;
    }
}
