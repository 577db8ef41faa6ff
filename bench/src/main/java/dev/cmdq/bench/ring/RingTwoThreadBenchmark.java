package dev.cmdq.bench.ring;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Two-thread throughput: one producer thread and one consumer thread per ring, batch 1 and 64, for
 * cmdq, JCTools SPSC and Agrona one-to-one. The scores that matter are the auxiliary counters
 * {@code written} and {@code read} (entries per µs); the primary score (attempts) mixes in failed
 * attempts on a full or empty ring. Cross-thread results on 2 vCPUs swing several-fold with vCPU
 * placement: read them only next to {@code PlacementProbeBenchmark} from the same run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RingTwoThreadBenchmark
{
    /**
     * Entries moved by one side, normalised by JMH to entries per µs.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Moved
    {
        /** Entries the producer wrote. */
        public long written;
        /** Entries the consumer read. */
        public long read;

        /**
         * Resets per iteration.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            written = 0;
            read = 0;
        }
    }

    /**
     * The shared rings of one group; each side's mutable state lives in its own padded object.
     */
    @State(Scope.Group)
    public static class Rings
    {
        /** Entries per producer attempt. */
        @Param({"1", "64"})
        public int batch;

        CmdqRing cmdq;
        SpscArrayQueue<Entry16> spsc;
        OneToOneRingBuffer agrona;
        final PaddedSupplier producer = new PaddedSupplier(RingSingleThreadBenchmark.CAPACITY * 4);
        final PaddedChecksum consumer = new PaddedChecksum();

        /**
         * Builds all three rings (only one is used per benchmark).
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            cmdq = new CmdqRing(RingSingleThreadBenchmark.CAPACITY);
            spsc = new SpscArrayQueue<>(RingSingleThreadBenchmark.CAPACITY);
            final int dataBytes = Integer.highestOneBit(RingSingleThreadBenchmark.CAPACITY * 24 - 1) << 1;
            agrona = new OneToOneRingBuffer(
                new UnsafeBuffer(ByteBuffer.allocateDirect(dataBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        }

        /**
         * Frees the cmdq ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            cmdq.close();
        }
    }

    /**
     * cmdq producer: one claim of {@code batch}, in-place writes, one PROD publish.
     *
     * @param r     rings.
     * @param moved counters.
     */
    @Benchmark
    @Group("cmdq")
    @GroupThreads(1)
    public void cmdqWrite(final Rings r, final Moved moved)
    {
        moved.written += r.cmdq.tryWrite(r.batch);
    }

    /**
     * cmdq consumer: one drain of up to {@code batch}.
     *
     * @param r     rings.
     * @param moved counters.
     */
    @Benchmark
    @Group("cmdq")
    @GroupThreads(1)
    public void cmdqRead(final Rings r, final Moved moved)
    {
        moved.read += r.cmdq.read(r.batch);
    }

    /**
     * JCTools producer: offer (batch 1) or fill (batch 64).
     *
     * @param r     rings.
     * @param moved counters.
     */
    @Benchmark
    @Group("jctools")
    @GroupThreads(1)
    public void jctoolsWrite(final Rings r, final Moved moved)
    {
        if (r.batch == 1)
        {
            final PaddedSupplier p = r.producer;
            final Entry16 e = p.pool[p.next & p.poolMask];
            final long s = p.sequence;
            e.dword0 = s;
            e.dword1 = ~s;
            if (r.spsc.offer(e))
            {
                p.next++;
                p.sequence++;
                moved.written++;
            }
        }
        else
        {
            moved.written += r.spsc.fill(r.producer, r.batch);
        }
    }

    /**
     * JCTools consumer: poll (batch 1) or drain with a limit (batch 64).
     *
     * @param r     rings.
     * @param moved counters.
     */
    @Benchmark
    @Group("jctools")
    @GroupThreads(1)
    public void jctoolsRead(final Rings r, final Moved moved)
    {
        if (r.batch == 1)
        {
            final Entry16 e = r.spsc.poll();
            if (e != null)
            {
                r.consumer.accept(e);
                moved.read++;
            }
        }
        else
        {
            moved.read += r.spsc.drain(r.consumer, r.batch);
        }
    }

    /**
     * Agrona producer: {@code batch} × tryClaim/commit, stopping at the first refusal.
     *
     * @param r     rings.
     * @param moved counters.
     */
    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    public void agronaWrite(final Rings r, final Moved moved)
    {
        final OneToOneRingBuffer ring = r.agrona;
        final AtomicBuffer b = ring.buffer();
        final int batch = r.batch;
        long seq = r.producer.sequence;
        int n = 0;
        while (n < batch)
        {
            final int index = ring.tryClaim(1, 16);
            if (index == RingBuffer.INSUFFICIENT_CAPACITY)
            {
                break;
            }
            b.putLong(index, seq);
            b.putLong(index + 8, ~seq);
            ring.commit(index);
            seq++;
            n++;
        }
        r.producer.sequence = seq;
        moved.written += n;
    }

    /**
     * Agrona consumer: one read with a limit of {@code batch}.
     *
     * @param r     rings.
     * @param moved counters.
     */
    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    public void agronaRead(final Rings r, final Moved moved)
    {
        moved.read += r.agrona.read(r.consumer, r.batch);
    }
}
