package dev.cmdq.bench.fuzz;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread allocated ({@code com.sun.management.ThreadMXBean}), measured around a warm
 * block. bench does not depend on queue-core's test-jar, so this repeats the warm-up rule of its
 * {@code AllocationProbe}: run until two runs in a row allocate nothing while the JIT is idle, then measure
 * further runs, all of which must allocate nothing.
 */
final class ThreadAllocation
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private ThreadAllocation()
    {
    }

    static boolean isSupported()
    {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /**
     * @return bytes allocated by {@code measuredRuns} warm runs, or by the last warm-up run (never 0) if the
     *         block never became quiet.
     */
    static long bytesOnceWarm(final Runnable block, final int maxWarmUpRuns, final int measuredRuns)
    {
        long last = -1;
        int quiet = 0;
        for (int run = 0; run < maxWarmUpRuns && (run < 3 || quiet < 2); run++)
        {
            final long compileMs = compilationMillis();
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            block.run();
            last = THREADS.getCurrentThreadAllocatedBytes() - before;
            quiet = last == 0 && compilationMillis() == compileMs ? quiet + 1 : 0;
        }
        if (quiet < 2)
        {
            return last != 0 ? last : -1;
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int run = 0; run < measuredRuns; run++)
        {
            block.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * {@link #bytesOnceWarm} up to {@code attempts} times, stopping at the first attempt that allocated
     * nothing. A deoptimisation in the measured runs (C2 re-materialising a scalar-replaced object, seen
     * here as one 840-byte charge when the whole suite ran first) fails one attempt, not the test; a loop
     * that allocates in every block fails every attempt.
     *
     * @return 0 if an attempt allocated nothing, else the last attempt's count (never 0).
     */
    static long bytesOnceWarmBestOf(final int attempts, final Runnable block, final int maxWarmUpRuns, final int measuredRuns)
    {
        long last = -1;
        for (int a = 0; a < attempts; a++)
        {
            last = bytesOnceWarm(block, maxWarmUpRuns, measuredRuns);
            if (last == 0)
            {
                return 0;
            }
        }
        return last;
    }

    private static long compilationMillis()
    {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported() ? COMPILER.getTotalCompilationTime() : 0;
    }
}
