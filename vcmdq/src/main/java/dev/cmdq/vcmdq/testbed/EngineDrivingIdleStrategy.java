package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.agrona.concurrent.IdleStrategy;

/**
 * The idle strategy of every wait on an {@link EngineMode#INLINE} platform: each idle first runs one duty
 * cycle of every SMMU on the waiting thread (so a lone thread moves the hardware itself,
 * deterministically, as {@code PhysicalSmmu.inlineIdleStrategy()} does); only when that did no work —
 * nothing was queued, or another thread holds the engine — does it back off with Linux's policy
 * ({@link WaitPolicy#defaultIdle()}: spins, yields, parks). Without the back-off, several vCPU threads
 * waiting on 2 oversubscribed cores would spin against the one thread whose progress they wait for.
 * One instance per waiting thread (it carries the back-off state).
 */
final class EngineDrivingIdleStrategy implements IdleStrategy
{
    private final PhysicalSmmu[] smmus;
    private final IdleStrategy backoff = WaitPolicy.defaultIdle();

    EngineDrivingIdleStrategy(final PhysicalSmmu[] smmus)
    {
        this.smmus = smmus;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
        else
        {
            backoff.reset();
        }
    }

    @Override
    public void idle()
    {
        int work = 0;
        for (final PhysicalSmmu smmu : smmus)
        {
            work += smmu.dutyCycle();
        }
        if (work == 0)
        {
            backoff.idle();
        }
        else
        {
            backoff.reset();
        }
    }

    @Override
    public void reset()
    {
        backoff.reset();
    }

    @Override
    public String alias()
    {
        return "engine-driving";
    }
}
