package dev.cmdq.queue.testkit;

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
 */
public final class AllocationProbe
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

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
     * @return bytes allocated by the current thread since it started.
     */
    public static long allocatedBytes()
    {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
