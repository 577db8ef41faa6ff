package dev.cmdq.bench.ring;

import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.MappedQueueRegisters;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CMD_SYNC-style completion wait — publish one entry, wait until CONS has moved past it — measured
 * against a plain ping-pong round trip <em>in alternating windows of the same fork</em>, so both see
 * the same vCPU placement. The device thread serves both: it drains the ring and answers pings. The
 * ratio {@code syncNanos/syncs ÷ pingNanos/pings} is what to read; the absolute numbers move with
 * placement.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CompletionWaitBenchmark
{
    /** Operations per window before the requester switches between sync wait and ping-pong. */
    static final int WINDOW = 256;

    /**
     * Raw totals; the command line divides them.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Totals
    {
        /** Completion waits done. */
        public long syncs;
        /** Nanoseconds spent in them. */
        public long syncNanos;
        /** Ping-pong round trips done. */
        public long pings;
        /** Nanoseconds spent in them. */
        public long pingNanos;
        int op;

        /**
         * Resets per iteration.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            syncs = 0;
            syncNanos = 0;
            pings = 0;
            pingNanos = 0;
        }
    }

    /**
     * The ring and the ping word shared by the two threads.
     */
    @State(Scope.Group)
    public static class Shared
    {
        CmdqRing ring;
        MappedQueueRegisters registers;
        int log2Size;
        final AtomicInteger ping = new AtomicInteger();

        /**
         * Builds the ring.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            ring = new CmdqRing(RingSingleThreadBenchmark.CAPACITY);
            registers = ring.registers();
            log2Size = ring.log2Size();
        }

        /**
         * Frees it.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            ring.close();
        }
    }

    /**
     * Requester: alternates windows of completion waits and ping-pong round trips.
     *
     * @param s       shared state.
     * @param totals  per-thread totals.
     * @param control JMH control, so no wait outlives the iteration.
     */
    @Benchmark
    @Group("completionWait")
    @GroupThreads(1)
    public void request(final Shared s, final Totals totals, final Control control)
    {
        final boolean syncWindow = (totals.op++ / WINDOW & 1) == 0;
        final long start = System.nanoTime();
        if (syncWindow)
        {
            final int prod = s.ring.producer().tryClaim(1);
            if (prod < 0)
            {
                return;
            }
            s.ring.producer().publish();
            while (!QueueIndex.consumedPast(s.registers.getConsAcquire(), prod, s.log2Size))
            {
                if (control.stopMeasurement)
                {
                    return;
                }
                Thread.onSpinWait();
            }
            totals.syncNanos += System.nanoTime() - start;
            totals.syncs++;
        }
        else
        {
            s.ping.set(1);
            while (s.ping.get() != 2)
            {
                if (control.stopMeasurement)
                {
                    return;
                }
                Thread.onSpinWait();
            }
            s.ping.set(0);
            totals.pingNanos += System.nanoTime() - start;
            totals.pings++;
        }
    }

    /**
     * Device: drains the ring and answers a pending ping.
     *
     * @param s shared state.
     * @return entries consumed.
     */
    @Benchmark
    @Group("completionWait")
    @GroupThreads(1)
    public int device(final Shared s)
    {
        if (s.ping.get() == 1)
        {
            s.ping.set(2);
        }
        return s.ring.read(64);
    }
}
