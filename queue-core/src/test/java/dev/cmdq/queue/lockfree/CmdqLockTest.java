package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cmdq lock with the 2026 fairness change: single-thread semantics of every operation, then the
 * property the change must keep — after one exclusive holder and several shared waiters the counter is
 * back to exactly 0 — and the negative control: the old shared lock (CAS loop) combined with the new
 * exclusive unlock leaves the counter above 0 for good, so no exclusive refresh succeeds again.
 */
class CmdqLockTest
{
    private static final int WAITERS = 4;
    private static final long JOIN_MS = TimeUnit.SECONDS.toMillis(30);

    private final AtomicBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private final CmdqLock lock = new CmdqLock(buffer, 8);

    @Test
    void rejectsAnUnalignedOrOutOfRangeCounter()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CmdqLock(buffer, 6)).getMessage().contains("offset=6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CmdqLock(buffer, 64)).getMessage().contains("offset=64"));
    }

    @Test
    void sharedHoldsCountAndTryUnlockKeepsTheLastHold()
    {
        assertTrue(lock.sharedLock(WaitPolicy.linuxDefault()));
        assertTrue(lock.sharedLock(WaitPolicy.linuxDefault()));
        assertEquals(2, lock.value());
        assertFalse(lock.exclusiveTryLock(), "no exclusive while shared");
        assertTrue(lock.sharedTryUnlock(), "not the last: released");
        assertEquals(1, lock.value());
        assertFalse(lock.sharedTryUnlock(), "the last holder keeps it");
        assertEquals(1, lock.value());
        lock.sharedUnlock();
        assertEquals(0, lock.value());
    }

    @Test
    void exclusiveOnlyFromFreeAndUnlockClearsOnlyTheSignBit()
    {
        assertTrue(lock.exclusiveTryLock());
        assertEquals(Integer.MIN_VALUE, lock.value());
        assertFalse(lock.exclusiveTryLock());
        buffer.getAndAddInt(8, 3); // three shared callers incremented meanwhile
        lock.exclusiveUnlock();
        assertEquals(3, lock.value(), "their count survives the unlock");
    }

    @Test
    void aSharedCallerThatTimesOutWithdrawsItsIncrement()
    {
        assertTrue(lock.exclusiveTryLock());
        final WaitPolicy instant = new WaitPolicy(1_000, () -> NoOpIdleStrategy.INSTANCE, new SteppingNanoClock(1_000));
        assertFalse(lock.sharedLock(instant));
        assertEquals(Integer.MIN_VALUE, lock.value());
        lock.exclusiveUnlock();
        assertEquals(0, lock.value());
        assertTrue(lock.exclusiveTryLock(), "nothing was left behind");
    }

    @Test
    void counterReturnsToExactlyZeroAfterAnExclusiveHolderAndSeveralSharedWaiters() throws Exception
    {
        final int after = exclusiveHolderThenSharedWaiters(() -> lock.sharedLock(WaitPolicy.linuxDefault()), lock::exclusiveUnlock);
        assertEquals(0, after);
        assertTrue(lock.exclusiveTryLock(), "the exclusive refresh works again");
    }

    @Test
    void negativeControlOldSharedLockWithNewExclusiveUnlockNeverReturnsToZero() throws Exception
    {
        final int after = exclusiveHolderThenSharedWaiters(() -> legacySharedLock(buffer, 8), lock::exclusiveUnlock);
        assertNotEquals(0, after, "every waiter counted twice");
        assertEquals(WAITERS, after);
        assertFalse(lock.exclusiveTryLock(), "no exclusive refresh can ever succeed again");
    }

    @Test
    void controlOldSharedLockWithOldExclusiveUnlockReturnsToZero() throws Exception
    {
        final int after = exclusiveHolderThenSharedWaiters(() -> legacySharedLock(buffer, 8), () -> buffer.putIntRelease(8, 0));
        assertEquals(0, after, "the old pair was consistent; only mixing the halves breaks");
    }

    /**
     * One thread holds the lock exclusively; {@value #WAITERS} threads call the shared lock, increment and
     * wait; once all have incremented, the holder unlocks; each waiter then holds it shared and unlocks.
     *
     * @return the counter after everyone finished.
     */
    private int exclusiveHolderThenSharedWaiters(final SharedLock sharedLock, final Runnable exclusiveUnlock)
        throws Exception
    {
        assertTrue(lock.exclusiveTryLock());
        final Thread[] waiters = new Thread[WAITERS];
        final boolean[] acquired = new boolean[WAITERS];
        for (int i = 0; i < WAITERS; i++)
        {
            final int id = i;
            waiters[i] = new Thread(() ->
            {
                acquired[id] = sharedLock.lock();
                lock.sharedUnlock();
            });
            waiters[i].start();
        }
        // All waiters have incremented while the lock is exclusive: MIN + WAITERS (bounded wait).
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MS);
        while (lock.value() != Integer.MIN_VALUE + WAITERS && System.nanoTime() < end)
        {
            Thread.yield();
        }
        assertEquals(Integer.MIN_VALUE + WAITERS, lock.value(), "each waiter incremented once, the lock still exclusive");
        exclusiveUnlock.run();
        for (final Thread t : waiters)
        {
            t.join(JOIN_MS);
            assertFalse(t.isAlive());
        }
        for (final boolean a : acquired)
        {
            assertTrue(a);
        }
        return lock.value();
    }

    @FunctionalInterface
    private interface SharedLock
    {
        boolean lock();
    }

    /**
     * The shared lock before the 2026 change, written from smmuv3-cmdq.md §4.1: increment; if the value
     * before was {@code >= 0}, done; otherwise loop: wait until the value is {@code >= 0}, then CAS
     * {@code v -> v+1}.
     */
    private static boolean legacySharedLock(final AtomicBuffer buffer, final int offset)
    {
        if (buffer.getAndAddInt(offset, 1) >= 0)
        {
            return true;
        }
        while (true)
        {
            final int v = buffer.getIntVolatile(offset);
            if (v >= 0 && buffer.compareAndSetInt(offset, v, v + 1))
            {
                return true;
            }
            Thread.onSpinWait();
        }
    }
}
