package dev.cmdq.queue.dispatch;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The dedicated writer's idle strategy: spin, then yield, then park with a growing bound, like Linux's
 * poll policy ({@link dev.cmdq.queue.issue.WaitPolicy#defaultIdle()}) — except that a requester handing
 * over work while the writer is parked wakes it ({@link #wake()}), so a lone request does not wait out
 * the writer's park.
 *
 * <pre>
 *  writer (idle, nothing drained)            requester (after offer succeeded)
 *    parked := this thread     (volatile)      handoff.offer(request)     (release)
 *    if !hasWork(): park(bound)                if parked != null: unpark(parked)
 *    parked := null
 * </pre>
 *
 * <p>A Dekker pair on two volatiles: either the writer's re-check sees the request, or the requester
 * sees the writer parked and unparks it — a wake-up is never lost, and a stale unpark only ends one
 * bounded park early. The park bound keeps even a lost wake-up (there is none) from stalling longer than
 * {@code maxParkNs}.
 */
final class WakeableIdleStrategy implements IdleStrategy
{
    private final BooleanSupplier hasWork;
    private final int maxSpins;
    private final int maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private volatile Thread parked;
    private int spins;
    private int yields;
    private long parkNs;

    /**
     * @param hasWork   true when a request waits (called by the idling thread only).
     * @param maxSpins  busy polls before yielding.
     * @param maxYields yields before parking.
     * @param minParkNs first park bound.
     * @param maxParkNs longest park bound.
     * @throws IllegalArgumentException naming a bound that is negative or out of order.
     */
    WakeableIdleStrategy(
        final BooleanSupplier hasWork, final int maxSpins, final int maxYields, final long minParkNs, final long maxParkNs)
    {
        if (maxSpins < 0 || maxYields < 0 || minParkNs < 1 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException("maxSpins=" + maxSpins + " maxYields=" + maxYields + " minParkNs=" +
                minParkNs + " maxParkNs=" + maxParkNs + ": negative or out of order");
        }
        this.hasWork = hasWork;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    /**
     * Ends the idling thread's park now, if it is parked; any thread. Costs one volatile read otherwise.
     */
    void wake()
    {
        final Thread t = parked;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }

    /**
     * @return true while the idling thread is parked or about to park (tests, diagnostics).
     */
    boolean isParked()
    {
        return parked != null;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
            return;
        }
        if (yields < maxYields)
        {
            yields++;
            Thread.yield();
            return;
        }
        parked = Thread.currentThread();
        if (!hasWork.getAsBoolean())
        {
            LockSupport.parkNanos(this, parkNs);
        }
        parked = null;
        parkNs = Math.min(parkNs << 1, maxParkNs);
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
    }

    @Override
    public String alias()
    {
        return "wakeable-backoff";
    }
}
