package dev.cmdq.queue.mapped;

import org.agrona.concurrent.IdleStrategy;

/**
 * The idle strategy of a {@link MappedLinuxIssuer}'s waits: the caller's own back-off, and after each
 * round without work a word to the {@link ClaimRecorder} that this thread is stalled, so the repair of
 * dead producers runs from inside whichever wait their death blocks — for space, for
 * {@code owner_prod}, for valid bits, for the lock, or for a completion behind a PROD that a dead owner
 * never wrote — without the Linux algorithm knowing about it.
 */
final class RepairingIdleStrategy implements IdleStrategy
{
    private final IdleStrategy backOff;
    private final ClaimRecorder recorder;

    /**
     * @param backOff  the thread's own idle strategy.
     * @param recorder told of each idle round.
     */
    RepairingIdleStrategy(final IdleStrategy backOff, final ClaimRecorder recorder)
    {
        this.backOff = backOff;
        this.recorder = recorder;
    }

    @Override
    public void idle(final int workCount)
    {
        backOff.idle(workCount);
        if (workCount <= 0)
        {
            recorder.stalled();
        }
    }

    @Override
    public void idle()
    {
        backOff.idle();
        recorder.stalled();
    }

    @Override
    public void reset()
    {
        backOff.reset();
    }

    @Override
    public String alias()
    {
        return "repairing-" + backOff.alias();
    }
}
