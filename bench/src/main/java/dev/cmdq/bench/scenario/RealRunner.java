package dev.cmdq.bench.scenario;

import org.HdrHistogram.Histogram;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Real time (package doc): one platform thread per vCPU runs unmaps back to back, first for the warm-up
 * time, then for the measured time; each unmap's wall time (including the guest's busy-waited other
 * unmap work) goes into that thread's histogram. The path's counters are read when every thread has
 * finished warming up and again when all have finished measuring.
 */
public final class RealRunner
{
    private final long warmupNs;
    private final long durationNs;
    private final long seed;

    /**
     * @param warmupNs   warm-up time per path and row, {@code >= 0}.
     * @param durationNs measured time per path and row, {@code > 0}.
     * @param seed       seed of the IOVAs.
     */
    public RealRunner(final long warmupNs, final long durationNs, final long seed)
    {
        if (warmupNs < 0 || durationNs <= 0)
        {
            throw new IllegalArgumentException("warmupNs=" + warmupNs + " durationNs=" + durationNs +
                ": need warmupNs >= 0 and durationNs > 0");
        }
        this.warmupNs = warmupNs;
        this.durationNs = durationNs;
        this.seed = seed;
    }

    /**
     * @param path     the wired path, threaded.
     * @param kind     which path it is.
     * @param workload the row.
     * @param costs    the modelled costs (the guest's other unmap work is busy-waited here).
     * @param progress told once warm-up ends and once measuring ends.
     * @return the measured result.
     * @throws IllegalStateException when a thread failed or did not finish in time.
     */
    public PathResult run(
        final UnmapPath path, final PathKind kind, final Workload workload, final CostProfile costs, final Progress progress)
    {
        final int threads = workload.threads();
        final PathCounts before = new PathCounts();
        final PathCounts after = new PathCounts();
        final Histogram[] histograms = new Histogram[threads];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CyclicBarrier warmed = new CyclicBarrier(threads, () -> path.readCounters(before));
        final Thread[] workers = new Thread[threads];
        final long guestNs = Math.round(costs.guestUnmapNs());
        for (int v = 0; v < threads; v++)
        {
            final int vcpu = v;
            histograms[v] = new Histogram(PathResult.HIGHEST_NS, 3);
            workers[v] = new Thread(() ->
            {
                try
                {
                    final IovaSequence iovas = new IovaSequence(seed, vcpu, workload.bufferBytes());
                    loop(path, vcpu, iovas, guestNs, warmupNs, null);
                    warmed.await(60, TimeUnit.SECONDS);
                    loop(path, vcpu, iovas, guestNs, durationNs, histograms[vcpu]);
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                    warmed.reset();
                }
            }, "cmdq-vcpu-" + v);
        }
        final long wallStart = System.nanoTime();
        for (final Thread w : workers)
        {
            w.start();
        }
        progress.advance(1);
        for (final Thread w : workers)
        {
            try
            {
                w.join(TimeUnit.NANOSECONDS.toMillis(warmupNs + durationNs) + 60_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + w.getName(), ex);
            }
            if (w.isAlive())
            {
                throw new IllegalStateException(w.getName() + " did not finish within 60 s after its duration");
            }
        }
        if (failure.get() != null)
        {
            throw new IllegalStateException(kind.label() + " " + workload + ": " + failure.get(), failure.get());
        }
        path.readCounters(after);
        progress.advance(1);
        final PathResult result = new PathResult(kind);
        for (final Histogram h : histograms)
        {
            result.addReal(h);
        }
        result.totals(after, before);
        result.wallNs(System.nanoTime() - wallStart);
        return result;
    }

    private static void loop(
        final UnmapPath path, final int vcpu, final IovaSequence iovas, final long guestNs, final long forNs, final Histogram into)
        throws BrokenBarrierException, TimeoutException
    {
        final long end = System.nanoTime() + forNs;
        long now;
        do
        {
            final long iova = iovas.next();
            final long t0 = System.nanoTime();
            if (guestNs > 0)
            {
                while (System.nanoTime() - t0 < guestNs)
                {
                    Thread.onSpinWait();
                }
            }
            path.unmap(vcpu, iova);
            now = System.nanoTime();
            if (into != null)
            {
                into.recordValue(Math.max(1, Math.min(now - t0, PathResult.HIGHEST_NS)));
            }
        }
        while (now - end < 0);
    }
}
