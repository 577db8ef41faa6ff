package dev.cmdq.vcmdq.testbed;

import java.util.concurrent.TimeUnit;

/**
 * Wait bounds of the testbed's tests. Every wait is bounded, but a CI machine with 2 cores shared by
 * several builds (load average 10 seen) can hold a thread off the CPU for longer than Linux's 1 s poll
 * timeout; the bound is a safety net against a hang, never a timing.
 */
final class Bounds
{
    /** Bound of every host, guest and test wait on a loaded machine. */
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    private Bounds()
    {
    }
}
