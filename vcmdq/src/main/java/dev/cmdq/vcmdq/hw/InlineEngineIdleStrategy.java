package dev.cmdq.vcmdq.hw;

import org.agrona.concurrent.IdleStrategy;

import java.util.Objects;

/**
 * Inline mode's idle strategy: instead of backing off, a waiter runs one engine duty cycle of its
 * SMMUs, so whatever it waits for (a CMD_SYNC, CONS moving, STATUS.CMDQ_EN_OK) progresses on its own
 * thread, deterministically. Counts its idles. One instance per waiting thread.
 */
public final class InlineEngineIdleStrategy implements IdleStrategy
{
    private final PhysicalSmmu[] smmus;
    private long idles;

    /**
     * @param smmus the SMMUs to drive (inline mode), each once per idle.
     */
    public InlineEngineIdleStrategy(final PhysicalSmmu... smmus)
    {
        this.smmus = smmus.clone();
        for (int i = 0; i < this.smmus.length; i++)
        {
            Objects.requireNonNull(this.smmus[i], "smmus[" + i + "]");
        }
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
        for (final PhysicalSmmu smmu : smmus)
        {
            smmu.dutyCycle();
        }
    }

    @Override
    public void reset()
    {
    }
}
