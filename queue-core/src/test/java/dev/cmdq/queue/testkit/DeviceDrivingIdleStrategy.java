package dev.cmdq.queue.testkit;

import dev.cmdq.queue.QueueConsumer;
import org.agrona.concurrent.IdleStrategy;

/**
 * An idle strategy that, instead of backing off, runs the device for one batch: a waiting producer on
 * the same thread makes the consumer progress (inline mode, deterministic). Counts its idles.
 */
public final class DeviceDrivingIdleStrategy implements IdleStrategy
{
    private QueueConsumer consumer;
    private long idles;

    /**
     * @param consumer the device to run on every idle, or null to run nothing (set it later).
     */
    public DeviceDrivingIdleStrategy(final QueueConsumer consumer)
    {
        this.consumer = consumer;
    }

    /**
     * @param consumer the device to run on every idle, or null to run nothing.
     */
    public void consumer(final QueueConsumer consumer)
    {
        this.consumer = consumer;
    }

    /**
     * @return idles since construction.
     */
    public long idles()
    {
        return idles;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        idles++;
        if (consumer != null)
        {
            consumer.doWork();
        }
    }

    @Override
    public void reset()
    {
    }
}
