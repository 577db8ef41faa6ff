package dev.cmdq.queue.testkit;

import org.agrona.concurrent.NanoClock;

/**
 * A clock that moves forward by a fixed step every time it is read, so a bounded wait times out after
 * a known number of polls without any real time passing. Single-threaded.
 */
public final class SteppingNanoClock implements NanoClock
{
    private final long step;
    private long now;
    private long reads;

    /**
     * @param step nanoseconds added per read.
     */
    public SteppingNanoClock(final long step)
    {
        this.step = step;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long nanoTime()
    {
        reads++;
        now += step;
        return now;
    }

    /**
     * @return how many times the clock was read.
     */
    public long reads()
    {
        return reads;
    }
}
