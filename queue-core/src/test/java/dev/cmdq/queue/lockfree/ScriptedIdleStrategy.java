package dev.cmdq.queue.lockfree;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayDeque;

/**
 * An idle strategy for single-thread tests: each {@code idle()} first runs the next scripted action (a
 * simulated other caller doing one step while this one waits), then drives the device once.
 */
final class ScriptedIdleStrategy implements IdleStrategy
{
    private final ArrayDeque<Runnable> script = new ArrayDeque<>();
    private Agent device;
    private int idles;

    ScriptedIdleStrategy then(final Runnable action)
    {
        script.addLast(action);
        return this;
    }

    void device(final Agent device)
    {
        this.device = device;
    }

    int idles()
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
        final Runnable action = script.pollFirst();
        if (action != null)
        {
            action.run();
        }
        if (device != null)
        {
            try
            {
                device.doWork();
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void reset()
    {
    }
}
