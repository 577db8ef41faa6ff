package dev.cmdq.queue.issue;

import dev.cmdq.queue.testkit.SteppingNanoClock;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wait policy: Linux's numbers, one idle strategy per thread, deadlines on the given clock.
 */
class WaitPolicyTest
{
    @Test
    void linuxDefaultsAreOneSecondAndTenSpins()
    {
        assertEquals(1_000_000_000L, WaitPolicy.linuxDefault().timeoutNs());
        assertEquals(10, WaitPolicy.DEFAULT_SPINS);
        assertTrue(WaitPolicy.defaultIdle() instanceof BackoffIdleStrategy);
    }

    @Test
    void negativeTimeoutIsRefusedByName()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.withTimeout(-1));
        assertTrue(e.getMessage().contains("timeoutNs=-1"), e.getMessage());
    }

    @Test
    void eachThreadGetsItsOwnIdleStrategyAndKeepsIt() throws Exception
    {
        final WaitPolicy policy = WaitPolicy.withTimeout(1);
        final IdleStrategy mine = policy.idle();
        assertSame(mine, policy.idle());
        final AtomicReference<IdleStrategy> theirs = new AtomicReference<>();
        final Thread t = new Thread(() -> theirs.set(policy.idle()));
        t.start();
        t.join();
        assertNotSame(mine, theirs.get());
    }

    @Test
    void deadlineExpiresOnTheGivenClock()
    {
        final SteppingNanoClock clock = new SteppingNanoClock(10);
        final WaitPolicy policy = new WaitPolicy(25, WaitPolicy::defaultIdle, clock);
        final long deadline = policy.deadline(); // read at 10: deadline 35
        assertFalse(policy.expired(deadline)); // 20
        assertFalse(policy.expired(deadline)); // 30
        assertTrue(policy.expired(deadline)); // 40
    }
}
