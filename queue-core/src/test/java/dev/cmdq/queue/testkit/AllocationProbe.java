package dev.cmdq.queue.testkit;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Reads how many bytes the current thread has allocated on the heap
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}), for zero-allocation
 * assertions around warm loops. No timing involved.
 *
 * <pre>
 *   warm up the loop (JIT, lazily created objects)
 *   long before = AllocationProbe.allocatedBytes();
 *   run the loop
 *   assertEquals(0, AllocationProbe.allocatedBytes() - before);
 * </pre>
 *
 * <p>Warm-up matters beyond the first calls: while HotSpot moves a method from C1 to C2 code and
 * deoptimises speculative code, the Java thread itself is charged a few bytes now and then (72 to 176
 * bytes once or twice within the first ~60,000 rounds of the queue loop on JDK 17 and 25; none with
 * {@code -Xint} or with C1 or C2 alone). {@link #bytesOnceWarm} therefore warms up until two blocks in
 * a row allocate nothing while the compiler is idle, then measures windows of further blocks, one of
 * which must allocate nothing: a loop that allocates on every round, or even once per block, never
 * passes.
 */
public final class AllocationProbe
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();
    /** Fewest warm-up runs of {@link #bytesOnceWarm}. */
    public static final int MIN_WARM_UP_RUNS = 3;
    /** Most measured windows of {@link #bytesOnceWarm}; the first clean one ends the measurement. */
    public static final int MEASURED_WINDOWS = 5;

    private AllocationProbe()
    {
    }

    /**
     * @return true when the JVM measures per-thread allocation (a test should fail, not pass, otherwise).
     */
    public static boolean isSupported()
    {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /**
     * Runs {@code block} until it is warm — two runs in a row that allocate nothing while the JIT
     * compiler is idle (its total compilation time does not move), after at least
     * {@value #MIN_WARM_UP_RUNS} runs — then measures windows of {@code measuredRuns} runs each, up to
     * {@value #MEASURED_WINDOWS} windows, and returns the first window's bytes that is clean, else the
     * smallest.
     *
     * <p>Why several windows: the compiler's idle check sees only finished compilations. On a loaded
     * machine (CI beside other builds, 2 vCPUs) a queued C2 compilation of the loop can finish inside the
     * measured window, and the tier transition charges the thread a few bytes (72 to 328 seen) once.
     * A block that allocates on every run — or on any path it takes every run — allocates in every
     * window, so it still never passes.
     *
     * @param block         the warm loop; create it (and anything it captures) before calling.
     * @param maxWarmUpRuns runs allowed to become warm.
     * @param measuredRuns  runs per measured window.
     * @return bytes allocated by the cleanest measured window, or by the last warm-up run if the block
     *         never became warm (so a caller asserting 0 fails either way).
     */
    public static long bytesOnceWarm(final Runnable block, final int maxWarmUpRuns, final int measuredRuns)
    {
        long last = -1;
        int quietRuns = 0;
        for (int run = 0; run < maxWarmUpRuns && (run < MIN_WARM_UP_RUNS || quietRuns < 2); run++)
        {
            final long compileMs = compilationMillis();
            final long before = allocatedBytes();
            block.run();
            last = allocatedBytes() - before;
            quietRuns = last == 0 && compilationMillis() == compileMs ? quietRuns + 1 : 0;
        }
        if (quietRuns < 2)
        {
            return last != 0 ? last : -1;
        }
        long least = Long.MAX_VALUE;
        for (int window = 0; window < MEASURED_WINDOWS && least != 0; window++)
        {
            final long before = allocatedBytes();
            for (int run = 0; run < measuredRuns; run++)
            {
                block.run();
            }
            least = Math.min(least, allocatedBytes() - before);
        }
        return least;
    }

    private static long compilationMillis()
    {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported() ? COMPILER.getTotalCompilationTime() : 0;
    }

    /**
     * @return bytes allocated by the current thread since it started.
     */
    public static long allocatedBytes()
    {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
