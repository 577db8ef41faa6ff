package dev.cmdq.bench.scenario;

/**
 * The SMMU engine's busy intervals in simulated time. Actors are simulated one step at a time but not
 * in virtual-time order (a vCPU's step may reserve hardware time later than the next actor's request),
 * so one "free at" time would make an early request wait behind a later reservation. Instead a request
 * gets the earliest time, at or after it is issued, at which the engine is free for the whole request
 * (non-preemptive, reservations kept): a work-conserving server that serves in virtual-time order
 * wherever the simulation order allows it.
 *
 * <pre>
 *  busy:    [s0, e0)  [s1, e1)  [s2, e2) ...      sorted, disjoint, at most CAPACITY kept
 *  reserve(at, d): first gap [g, g + d) with g >= at that fits, else after the last interval
 * </pre>
 *
 * Intervals that ended before {@link #forget} was told are dropped; when the table is full the oldest is
 * dropped (an interval that old is never in the way of a request: requests come from actors whose clocks
 * have passed it). Fixed arrays: allocation-free. One thread.
 */
public final class EngineSchedule
{
    /** Intervals kept. */
    static final int CAPACITY = 256;

    private final double[] starts = new double[CAPACITY];
    private final double[] ends = new double[CAPACITY];
    private int size;

    /**
     * Reserves the engine for {@code duration} at the earliest time at or after {@code at}.
     *
     * @param at       when the request reaches the engine.
     * @param duration how long it holds the engine, {@code > 0}.
     * @return the end of the reservation.
     */
    public double reserve(final double at, final double duration)
    {
        double start = at;
        int i = 0;
        // Skip intervals that end at or before the request: they are not in its way.
        while (i < size && ends[i] <= start)
        {
            i++;
        }
        // Walk the gaps: the request fits before interval i if it ends by starts[i].
        while (i < size && start + duration > starts[i])
        {
            start = Math.max(start, ends[i]);
            i++;
        }
        insert(i, start, start + duration);
        return start + duration;
    }

    /**
     * Drops the intervals that ended at or before {@code horizon} (no request can come earlier).
     *
     * @param horizon the earliest time any actor can still issue at.
     */
    public void forget(final double horizon)
    {
        int drop = 0;
        while (drop < size && ends[drop] <= horizon)
        {
            drop++;
        }
        if (drop > 0)
        {
            System.arraycopy(starts, drop, starts, 0, size - drop);
            System.arraycopy(ends, drop, ends, 0, size - drop);
            size -= drop;
        }
    }

    /**
     * @return intervals kept.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return the end of the last reservation, 0 when none is kept.
     */
    public double lastEnd()
    {
        return size == 0 ? 0 : ends[size - 1];
    }

    private void insert(final int at, final double start, final double end)
    {
        int i = at;
        if (size == CAPACITY)
        {
            System.arraycopy(starts, 1, starts, 0, size - 1);
            System.arraycopy(ends, 1, ends, 0, size - 1);
            size--;
            i = Math.max(0, i - 1);
        }
        System.arraycopy(starts, i, starts, i + 1, size - i);
        System.arraycopy(ends, i, ends, i + 1, size - i);
        starts[i] = start;
        ends[i] = end;
        size++;
    }
}
