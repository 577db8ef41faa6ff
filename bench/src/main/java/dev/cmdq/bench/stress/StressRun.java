package dev.cmdq.bench.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.GuestPath;
import dev.cmdq.vcmdq.testbed.Platform;

/**
 * One stress run: a {@link Platform} with two physical SMMUs, {@code vms} VM slots (slot i on SMMU i mod 2,
 * paths VCMDQ, trapped per-command, trapped batched in turn) split over {@code producers}
 * {@link StressWorker}s. Inline engines: the workers take turns on the calling thread, one step each, so
 * a seed and a step count give the same counts every time (what CI compares). Threaded engines: one thread
 * per worker, traffic of every VM concurrent with the others' hot-plug and teardown.
 *
 * <p>Ends with every VM torn down (each teardown checked), then the platform closed.
 */
public final class StressRun
{
    /** First pSID handed out (distinct from the vSIDs 0x10.. the VMs use, so a mix-up shows). */
    static final long FIRST_PSID = 0x400;
    /** Longest a worker thread may take to stop after the deadline. */
    static final long JOIN_TIMEOUT_S = 60;

    private StressRun()
    {
    }

    /**
     * @param config the run's parameters.
     * @return the counts.
     */
    public static StressCounts run(final StressConfig config)
    {
        final StressCounts counts = new StressCounts();
        final GuestPath[] paths = {GuestPath.VCMDQ, GuestPath.TRAPPED_PER_COMMAND, GuestPath.TRAPPED_BATCHED};
        try (Platform platform = Platform.builder().smmus(2).engineMode(config.engineMode())
            .hostStrategy(config.hostStrategy()).build())
        {
            final VmidRegistry registry = new VmidRegistry();
            final AtomicLong nextPsid = new AtomicLong(FIRST_PSID);
            final SplittableRandom seeds = new SplittableRandom(config.seed());
            final StressWorker[] workers = new StressWorker[config.producers()];
            for (int w = 0; w < workers.length; w++)
            {
                final List<VmSlot> mine = new ArrayList<>();
                for (int s = w; s < config.vms(); s += workers.length)
                {
                    mine.add(new VmSlot(s, s % 2, paths[s % paths.length]));
                }
                workers[w] = new StressWorker(platform, counts, registry, nextPsid, mine.toArray(new VmSlot[0]), seeds.nextLong());
            }
            final long deadline = config.seconds() == 0 ? Long.MAX_VALUE :
                System.nanoTime() + TimeUnit.SECONDS.toNanos(config.seconds());
            final long steps = config.steps() == 0 ? Long.MAX_VALUE : config.steps();
            if (config.engineMode() == EngineMode.INLINE)
            {
                for (long i = 0; i < steps && System.nanoTime() < deadline; i++)
                {
                    for (final StressWorker worker : workers)
                    {
                        worker.step();
                    }
                }
            }
            else
            {
                runThreaded(workers, steps, deadline, counts);
            }
            for (final StressWorker worker : workers)
            {
                worker.finish();
            }
        }
        return counts;
    }

    private static void runThreaded(final StressWorker[] workers, final long steps, final long deadline, final StressCounts counts)
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[workers.length];
        for (int w = 0; w < workers.length; w++)
        {
            final StressWorker worker = workers[w];
            threads[w] = new Thread(() ->
            {
                try
                {
                    for (long i = 0; i < steps && System.nanoTime() < deadline; i++)
                    {
                        worker.step();
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "stress-" + w);
            threads[w].start();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(JOIN_TIMEOUT_S) + Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            counts.check(!thread.isAlive(), "a worker did not stop within the bound", thread.getName());
        }
        final Throwable t = failure.get();
        if (t != null)
        {
            throw new IllegalStateException("a stress worker threw: " + t, t);
        }
    }

    /**
     * @param config the parameters.
     * @param counts the counts.
     * @param revision the git revision.
     * @return the text report; the last line is {@code N passed, M failed} (checks).
     */
    public static String text(final StressConfig config, final StressCounts counts, final String revision)
    {
        final StringBuilder b = new StringBuilder(1024);
        b.append("cmdq stress: revision=").append(revision).append(" seed=").append(config.seed())
            .append(" vms=").append(config.vms()).append(" producers=").append(config.producers())
            .append(" seconds=").append(config.seconds()).append(" steps=").append(config.steps())
            .append(" engines=").append(config.engineMode()).append(" host=").append(config.hostStrategy())
            .append(System.lineSeparator());
        for (final Map.Entry<String, Long> e : counts.toMap().entrySet())
        {
            b.append(String.format("  %-16s %d%n", e.getKey(), e.getValue()));
        }
        for (final String sample : counts.samples())
        {
            b.append("VIOLATION ").append(sample).append(System.lineSeparator());
        }
        b.append(counts.get(StressCounts.CHECKS_PASSED)).append(" passed, ").append(counts.get(StressCounts.VIOLATIONS)).append(" failed");
        return b.toString();
    }

    /**
     * @param config the parameters.
     * @param counts the counts.
     * @param revision the git revision.
     * @return the same as one JSON object.
     */
    public static String json(final StressConfig config, final StressCounts counts, final String revision)
    {
        final StringBuilder b = new StringBuilder(1024);
        b.append("{\"harness\":\"stress\",\"revision\":\"").append(revision.replace("\"", "")).append('"')
            .append(",\"seed\":").append(config.seed()).append(",\"vms\":").append(config.vms())
            .append(",\"producers\":").append(config.producers()).append(",\"seconds\":").append(config.seconds())
            .append(",\"steps\":").append(config.steps()).append(",\"engines\":\"").append(config.engineMode()).append('"')
            .append(",\"hostStrategy\":\"").append(config.hostStrategy()).append('"')
            .append(",\"hostStrategy\":\"").append(config.hostStrategy()).append('"')
            .append(",\"counts\":{");
        boolean first = true;
        for (final Map.Entry<String, Long> e : counts.toMap().entrySet())
        {
            b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
            first = false;
        }
        b.append("},\"violations\":[");
        first = true;
        for (final String sample : counts.samples())
        {
            b.append(first ? "" : ",").append('"').append(sample.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            first = false;
        }
        return b.append("]}").toString();
    }
}
