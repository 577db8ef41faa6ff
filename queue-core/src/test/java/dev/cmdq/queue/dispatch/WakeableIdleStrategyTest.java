package dev.cmdq.queue.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's idle strategy never sleeps on pending work and a requester's wake ends its park. Parks
 * here are a minute long, so a strategy that ignored either rule would hang the test into its (far
 * shorter) preemptive bound rather than pass by luck.
 */
class WakeableIdleStrategyTest
{
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void doesNotParkWhileWorkIsPending()
    {
        final AtomicInteger checks = new AtomicInteger();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(() -> checks.incrementAndGet() > 0, 0, 0, MINUTE_NS, MINUTE_NS);
        assertTimeoutPreemptively(BOUND, () ->
        {
            for (int i = 0; i < 3; i++)
            {
                idle.idle();
            }
        });
        assertEquals(3, checks.get(), "the work check runs once before every park");
        assertFalse(idle.isParked());
    }

    @Test
    void spinsAndYieldsComeBeforeTheWorkCheck()
    {
        final AtomicInteger checks = new AtomicInteger();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(() -> checks.incrementAndGet() > 0, 2, 3, MINUTE_NS, MINUTE_NS);
        for (int i = 0; i < 5; i++)
        {
            idle.idle();
        }
        assertEquals(0, checks.get(), "2 spins and 3 yields first");
        idle.idle();
        assertEquals(1, checks.get());
        idle.idle(1);
        for (int i = 0; i < 5; i++)
        {
            idle.idle(0);
        }
        assertEquals(1, checks.get(), "work done resets the back-off to spinning");
    }

    @Test
    void aWakeEndsAMinuteLongPark() throws Exception
    {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(() -> false, 0, 0, MINUTE_NS, MINUTE_NS);
        final Thread writer = new Thread(idle::idle, "parked-writer");
        writer.setDaemon(true);
        writer.start();
        assertTimeoutPreemptively(BOUND, () ->
        {
            while (!idle.isParked())
            {
                Thread.onSpinWait();
            }
            idle.wake();
            writer.join();
        });
        assertFalse(writer.isAlive());
        assertFalse(idle.isParked());
    }

    @Test
    void aWakeWithNobodyParkedDoesNothing()
    {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(() -> false, 1, 0, 1, 1);
        idle.wake();
        assertFalse(idle.isParked());
    }

    @Test
    void refusesBoundsOutOfOrder()
    {
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(() -> false, -1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(() -> false, 0, -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(() -> false, 0, 0, 0, 1));
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(() -> false, 0, 0, 10, 5));
        assertTrue(e.getMessage().contains("maxParkNs=5"), e.getMessage());
    }
}
