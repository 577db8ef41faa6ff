package dev.cmdq.bench.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import dev.cmdq.vcmdq.hw.CommandExecution;
import dev.cmdq.vcmdq.hw.cache.SmmuCaches;
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
 * <p>Each SMMU executes into caches this run builds, behind an {@link ExecutionLedger} tap that counts every
 * command for its owner at execution; the workers settle those books as owners are released (the
 * exactly-once check, any engines). Ends with every VM torn down (each teardown checked), then nothing
 * may be left on the books (nothing executed that no VM issued), then the platform closed.
 */
public final class StressRun
{
    /** First pSID handed out (distinct from the vSIDs 0x10.. the VMs use, so a mix-up shows). */
    static final long FIRST_PSID = 0x400;
    /** Longest a worker thread may take to stop after the deadline. */
    static final long JOIN_TIMEOUT_S = 60;
    private static final int SMMUS = 2;

    private StressRun()
    {
    }

    /**
     * @param config the run's parameters.
     * @return the counts.
     */
    public static StressCounts run(final StressConfig config)
    {
        return run(config, UnaryOperator.identity());
    }

    /**
     * As {@link #run(StressConfig)}, with {@code fault} wrapped around each SMMU's ledger tap (between the
     * gate and the tap): what a test uses to lose or duplicate a command and see the check fail.
     *
     * @param config the run's parameters.
     * @param fault  wraps each SMMU's execution; {@link UnaryOperator#identity()} for none.
     * @return the counts.
     */
    static StressCounts run(final StressConfig config, final UnaryOperator<CommandExecution> fault)
    {
        final StressCounts counts = new StressCounts();
        final GuestPath[] paths = {GuestPath.VCMDQ, GuestPath.TRAPPED_PER_COMMAND, GuestPath.TRAPPED_BATCHED};
        final ExecutionLedger ledger = new ExecutionLedger(SMMUS);
        final SmmuCaches[] caches = newCaches();
        try (Platform platform = platform(ledger, caches, fault).engineMode(config.engineMode())
            .hostStrategy(config.hostStrategy()).build())
        {
            final VmidRegistry registry = new VmidRegistry();
            final DevicePool devices = new DevicePool(platform, FIRST_PSID);
            final SplittableRandom seeds = new SplittableRandom(config.seed());
            final StressWorker[] workers = new StressWorker[config.producers()];
            for (int w = 0; w < workers.length; w++)
            {
                final List<VmSlot> mine = new ArrayList<>();
                for (int s = w; s < config.vms(); s += workers.length)
                {
                    mine.add(new VmSlot(s, s % SMMUS, paths[s % paths.length]));
                }
                workers[w] = new StressWorker(platform, caches, ledger, counts, registry, devices, mine.toArray(new VmSlot[0]),
                    seeds.nextLong());
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
            // Every VM is gone and every owner settled: whatever is still on the books executed for no VM
            // (or after its owner was settled) — a duplicate, a stray or an unattributable command.
            final long leftover = ledger.leftover();
            counts.check(leftover == 0, "exactly-once: " + leftover + " executed commands belong to no settled VM (" +
                ledger.describeLeftover() + ")", "all SMMUs");
        }
        return counts;
    }

    /**
     * @return one SMMU's caches per physical SMMU of a stress platform, of the testbed's default size.
     */
    static SmmuCaches[] newCaches()
    {
        final SmmuCaches[] caches = new SmmuCaches[SMMUS];
        for (int s = 0; s < SMMUS; s++)
        {
            caches[s] = new SmmuCaches(Platform.Builder.DEFAULT_CACHE_CAPACITY, Platform.Builder.DEFAULT_CACHE_CAPACITY,
                Platform.Builder.DEFAULT_CACHE_CAPACITY);
        }
        return caches;
    }

    /**
     * The stress platform's wiring: two SMMUs, each executing through {@code fault}, then the ledger's tap,
     * into {@code caches}.
     *
     * @param ledger the books the taps count into.
     * @param caches from {@link #newCaches()}.
     * @param fault  wraps each SMMU's tap; {@link UnaryOperator#identity()} for none.
     * @return the builder (engines and host strategy still to choose).
     */
    static Platform.Builder platform(final ExecutionLedger ledger, final SmmuCaches[] caches,
        final UnaryOperator<CommandExecution> fault)
    {
        return Platform.builder().smmus(SMMUS).execution(s -> fault.apply(ledger.tap(s, caches[s]::execute)));
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
     * @return the text report; the last line is {@code N passed, M failed} (checks), then in parentheses the
     *         commands the exactly-once check settled.
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
        b.append(counts.get(StressCounts.CHECKS_PASSED)).append(" passed, ").append(counts.get(StressCounts.VIOLATIONS)).append(" failed")
            .append(" (exactly-once: ").append(counts.get(StressCounts.SETTLED_COMMANDS)).append(" commands settled over ")
            .append(counts.get(StressCounts.SETTLED_OWNERS)).append(" owners)");
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
