package dev.cmdq.queue.mapped;

import dev.cmdq.queue.lockfree.ClaimJournal;

/**
 * A journal decorator that runs an action at one named step, the first time a call reaches it: to make
 * the caller "die" there ({@link #dying}: it throws {@link Death}, which unwinds the issuer without
 * running another instruction of the algorithm — the issuer has no finally blocks — exactly as a kill
 * at that instant leaves the shared state), or to park it there so a test can kill its process inside
 * the window. {@code afterRecord} chooses whether the step's record was stored: for a step named in the
 * past tense ({@code claimed}, {@code gathered}, ...) stopping before the record means stopping between
 * an atomic instruction and its record.
 */
final class SteppedJournal implements ClaimJournal
{
    /** Thrown at the chosen step. */
    static final class Death extends Error
    {
        private static final long serialVersionUID = 1L;

        Death(final String step)
        {
            super("died at " + step, null, false, false);
        }
    }

    /** A step (after its record) and what to do there. */
    static final class Hook
    {
        final String step;
        final Runnable action;

        Hook(final String step, final Runnable action)
        {
            this.step = step;
            this.action = action;
        }
    }

    private final ClaimJournal journal;
    private final String step;
    private final boolean afterRecord;
    private final Runnable action;
    private volatile boolean armed = true;
    private boolean done;

    SteppedJournal(final ClaimJournal journal, final String step, final boolean afterRecord, final Runnable action)
    {
        this.journal = journal;
        this.step = step;
        this.afterRecord = afterRecord;
        this.action = action;
    }

    /**
     * @return a decorator that throws {@link Death} at the step.
     */
    static SteppedJournal dying(final ClaimJournal journal, final String step, final boolean afterRecord)
    {
        final String where = step + (afterRecord ? " (after its record)" : " (before its record)");
        return new SteppedJournal(journal, step, afterRecord, () ->
        {
            throw new Death(where);
        });
    }

    /**
     * @param armed whether the step's action runs when reached (a disarmed journal only delegates).
     * @return this.
     */
    SteppedJournal armed(final boolean armed)
    {
        this.armed = armed;
        return this;
    }

    private void before(final String name)
    {
        if (!afterRecord && armed && !done && step.equals(name))
        {
            done = true;
            action.run();
        }
    }

    private void after(final String name)
    {
        if (afterRecord && armed && !done && step.equals(name))
        {
            done = true;
            action.run();
        }
    }

    @Override
    public int begin()
    {
        return journal.begin();
    }

    @Override
    public void reserving(final int handle, final long snapshot, final int k)
    {
        before("reserving");
        journal.reserving(handle, snapshot, k);
        after("reserving");
    }

    @Override
    public void claimed(final int handle, final int start, final int end, final boolean owner)
    {
        before("claimed");
        journal.claimed(handle, start, end, owner);
        after("claimed");
    }

    @Override
    public void sharedLocking(final int handle)
    {
        before("sharedLocking");
        journal.sharedLocking(handle);
        after("sharedLocking");
    }

    @Override
    public void sharedLocked(final int handle, final boolean held)
    {
        before("sharedLocked");
        journal.sharedLocked(handle, held);
        after("sharedLocked");
    }

    @Override
    public void published(final int handle)
    {
        before("published");
        journal.published(handle);
        after("published");
    }

    @Override
    public void gathering(final int handle)
    {
        before("gathering");
        journal.gathering(handle);
        after("gathering");
    }

    @Override
    public void gathered(final int handle, final int gatheredEnd)
    {
        before("gathered");
        journal.gathered(handle, gatheredEnd);
        after("gathered");
    }

    @Override
    public void handedOver(final int handle)
    {
        before("handedOver");
        journal.handedOver(handle);
        after("handedOver");
    }

    @Override
    public void sharedUnlocking(final int handle)
    {
        before("sharedUnlocking");
        journal.sharedUnlocking(handle);
        after("sharedUnlocking");
    }

    @Override
    public void sharedUnlocked(final int handle)
    {
        before("sharedUnlocked");
        journal.sharedUnlocked(handle);
        after("sharedUnlocked");
    }

    @Override
    public void exclusiveTrying(final int handle)
    {
        before("exclusiveTrying");
        journal.exclusiveTrying(handle);
        after("exclusiveTrying");
    }

    @Override
    public void exclusiveLocked(final int handle, final boolean taken)
    {
        before("exclusiveLocked");
        journal.exclusiveLocked(handle, taken);
        after("exclusiveLocked");
    }

    @Override
    public void exclusiveUnlocking(final int handle)
    {
        before("exclusiveUnlocking");
        journal.exclusiveUnlocking(handle);
        after("exclusiveUnlocking");
    }

    @Override
    public void exclusiveUnlocked(final int handle)
    {
        before("exclusiveUnlocked");
        journal.exclusiveUnlocked(handle);
        after("exclusiveUnlocked");
    }

    @Override
    public void end(final int handle)
    {
        before("end");
        journal.end(handle);
        after("end");
    }
}
