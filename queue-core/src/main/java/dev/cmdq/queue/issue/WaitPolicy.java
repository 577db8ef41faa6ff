package dev.cmdq.queue.issue;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How every wait of a {@link CommandIssuer} backs off and how long it may last: Linux's poll policy
 * ({@code ARM_SMMU_POLL_SPIN_COUNT} = 10 spins, then delays growing from 1 µs, 1 s timeout), expressed as
 * an Agrona {@link IdleStrategy} per thread and a deadline on a {@link NanoClock}.
 *
 * <p>Why back-off matters here: with more producer threads than cores, the thread a waiter waits for
 * (an owner gathering a batch, a writer that has not marked its slots valid yet, a lock holder) may be
 * preempted; a waiter that only spins keeps it off the CPU. The default strategy spins, then yields, then
 * parks with growing delays.
 *
 * <p>Idle strategies carry state, so each thread gets its own, created by the supplier on the thread's
 * first wait and reused afterwards (no allocation on later waits).
 */
public final class WaitPolicy
{
    /** Linux's {@code ARM_SMMU_POLL_TIMEOUT_US}: 1 s. */
    public static final long DEFAULT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    /** Linux's {@code ARM_SMMU_POLL_SPIN_COUNT}: busy polls before the first delay. */
    public static final int DEFAULT_SPINS = 10;
    /** Yields after the spins, so a preempted thread on an oversubscribed core gets the CPU soon. */
    public static final int DEFAULT_YIELDS = 10;
    /** First park, 1 µs as Linux's first delay. */
    public static final long DEFAULT_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    /** Longest park: keeps a waiter's reaction time bounded where Linux would keep doubling. */
    public static final long DEFAULT_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private static final WaitPolicy DEFAULT = new WaitPolicy(
        DEFAULT_TIMEOUT_NS, WaitPolicy::defaultIdle, SystemNanoClock.INSTANCE);

    private final long timeoutNs;
    private final NanoClock clock;
    private final ThreadLocal<IdleStrategy> idle;

    /**
     * @param timeoutNs   bound of every wait, {@code >= 0}.
     * @param idleFactory makes one idle strategy per waiting thread.
     * @param clock       time source of the deadlines.
     * @throws IllegalArgumentException naming {@code timeoutNs} when negative.
     */
    public WaitPolicy(final long timeoutNs, final Supplier<IdleStrategy> idleFactory, final NanoClock clock)
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("timeoutNs=" + timeoutNs + " is negative");
        }
        Objects.requireNonNull(idleFactory, "idleFactory");
        this.timeoutNs = timeoutNs;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idle = ThreadLocal.withInitial(idleFactory);
    }

    /**
     * @return Linux's policy: 1 s timeout, 10 spins, 10 yields, parks from 1 µs to 100 µs, system clock.
     */
    public static WaitPolicy linuxDefault()
    {
        return DEFAULT;
    }

    /**
     * @param timeoutNs bound of every wait, {@code >= 0}.
     * @return the default back-off with another timeout.
     * @throws IllegalArgumentException naming {@code timeoutNs} when negative.
     */
    public static WaitPolicy withTimeout(final long timeoutNs)
    {
        return new WaitPolicy(timeoutNs, WaitPolicy::defaultIdle, SystemNanoClock.INSTANCE);
    }

    /**
     * @return a new instance of the default back-off strategy.
     */
    public static IdleStrategy defaultIdle()
    {
        return new BackoffIdleStrategy(DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MIN_PARK_NS, DEFAULT_MAX_PARK_NS);
    }

    /**
     * @return the calling thread's idle strategy (reset it at the start of each wait).
     */
    public IdleStrategy idle()
    {
        return idle.get();
    }

    /**
     * @return the bound of every wait in nanoseconds.
     */
    public long timeoutNs()
    {
        return timeoutNs;
    }

    /**
     * @return the clock deadlines are measured on.
     */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * @return a deadline one timeout from now.
     */
    public long deadline()
    {
        return clock.nanoTime() + timeoutNs;
    }

    /**
     * @param deadline a value of {@link #deadline()}.
     * @return true once the clock reached it.
     */
    public boolean expired(final long deadline)
    {
        return clock.nanoTime() - deadline >= 0;
    }
}
