package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.Objects;

/**
 * Linux's cmdq lock (smmuv3-cmdq.md §4.1): a reader/writer lock on one 32-bit counter, with the
 * January 2026 fairness change ("Improve CMDQ lock fairness and efficiency") in <em>both</em> halves.
 *
 * <pre>
 *   value  0          free
 *   value  n &gt; 0      n shared holders (sync waiters)
 *   value  MIN + w    held exclusively (CONS refresh); w shared callers already counted, waiting
 *
 *   shared lock     : old = fetch_inc;  old &gt;= 0 -&gt; held;  else wait until value &gt; 0 (no CAS, no 2nd inc)
 *   shared unlock   : fetch_dec (release)
 *   shared tryunlock: value == 1 ? false (caller is the last holder and keeps the lock) : unlock, true
 *   exclusive try   : CAS 0 -&gt; MIN, only from free
 *   exclusive unlock: clear the sign bit only (release): the w waiters keep their count and proceed
 * </pre>
 *
 * Sync waiters hold it shared from before they publish until their sync completed; a producer that
 * finds the queue full takes it exclusively only to refresh the software CONS from the hardware. Holding
 * it shared stops the refresh, which keeps every waiter's "consumed past" test valid (the queue cannot
 * lap a waiter's sync twice).
 *
 * <p>The two halves only work together: the new unlock keeps the waiters' early increments, so the old
 * shared lock (wait, then CAS a second increment) would count every waiter twice and the counter would
 * never return to 0, and no exclusive refresh would succeed again.
 *
 * <p>Java port: {@code atomic_fetch_andnot_release(INT_MIN)} is an atomic add of
 * {@link Integer#MIN_VALUE}, exact because the exclusive holder knows the sign bit is set (the add
 * overflows it away and leaves the waiters' count); every atomic here is at least a release. Waiting for
 * the exclusive holder is bounded; a shared caller that times out withdraws its increment.
 */
public final class CmdqLock
{
    private final AtomicBuffer buffer;
    private final int offset;

    /**
     * @param buffer off-heap memory holding the counter.
     * @param offset byte offset of the 32-bit counter, 4-byte aligned; it should sit alone on its line.
     * @throws IllegalArgumentException naming {@code offset} when unusable.
     */
    public CmdqLock(final AtomicBuffer buffer, final int offset)
    {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        if ((offset & 3) != 0 || offset < 0 || offset > buffer.capacity() - Integer.BYTES)
        {
            throw new IllegalArgumentException("offset=" + offset + " is not a 4-byte aligned int inside a buffer of " +
                buffer.capacity());
        }
        this.offset = offset;
    }

    /**
     * Takes the lock shared ({@code arm_smmu_cmdq_shared_lock}, 2026 form): one increment; if an
     * exclusive holder had it, wait until the value is positive — the holder cleared the sign bit and our
     * increment is already counted.
     *
     * @param wait back-off and bound of the wait.
     * @return true when held; false when an exclusive holder kept it for the whole timeout (the increment
     *         was withdrawn, the lock is not held).
     */
    public boolean sharedLock(final WaitPolicy wait)
    {
        if (getAndAddLock(1) >= 0)
        {
            return true;
        }
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (lvLock() <= 0)
        {
            if (wait.expired(deadline))
            {
                getAndAddLock(-1);
                return false;
            }
            idle.idle();
        }
        return true;
    }

    /**
     * Releases a shared hold ({@code arm_smmu_cmdq_shared_unlock}).
     */
    public void sharedUnlock()
    {
        getAndAddLock(-1);
    }

    /**
     * Releases a shared hold unless the caller seems to be the last holder
     * ({@code arm_smmu_cmdq_shared_tryunlock}). The check is deliberately racy, as in Linux: a caller
     * that gets false still holds the lock, may publish what it observed of CONS, and then calls
     * {@link #sharedUnlock()}.
     *
     * @return false when the value was exactly 1 (still held), true when released.
     */
    public boolean sharedTryUnlock()
    {
        if (lvLock() == 1)
        {
            return false;
        }
        sharedUnlock();
        return true;
    }

    /**
     * Takes the lock exclusively, only from the free state ({@code arm_smmu_cmdq_exclusive_trylock}).
     *
     * @return true when taken.
     */
    public boolean exclusiveTryLock()
    {
        return buffer.compareAndSetInt(offset, 0, Integer.MIN_VALUE);
    }

    /**
     * Releases the exclusive hold by clearing only the sign bit (2026 form), so shared callers that
     * incremented meanwhile keep their count. Call only while holding it exclusively.
     */
    public void exclusiveUnlock()
    {
        getAndAddLock(Integer.MIN_VALUE);
    }

    /**
     * @return the counter (for tests and diagnostics).
     */
    public int value()
    {
        return lvLock();
    }

    private int lvLock()
    {
        return buffer.getIntVolatile(offset);
    }

    private int getAndAddLock(final int delta)
    {
        return buffer.getAndAddInt(offset, delta);
    }
}
