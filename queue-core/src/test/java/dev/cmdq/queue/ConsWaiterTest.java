package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsWaiterTest
{
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();

    @AfterEach
    void tearDown()
    {
        registers.close();
    }

    /** An idle strategy that runs an action on its k-th idle and counts idles. */
    static final class ActingIdle implements IdleStrategy
    {
        final int at;
        final Runnable action;
        int idles;

        ActingIdle(final int at, final Runnable action)
        {
            this.at = at;
            this.action = action;
        }

        public void idle(final int workCount)
        {
            idle();
        }

        public void idle()
        {
            if (++idles == at)
            {
                action.run();
            }
        }

        public void reset()
        {
        }
    }

    @Test
    void returnsAtOnceWhenAlreadyConsumed()
    {
        registers.putConsRelease(ConsRegister.withErr(5, CommandError.ABT));
        final ActingIdle idle = new ActingIdle(1, () -> { });
        final ConsWaiter w = new ConsWaiter(registers, 3, idle, new SteppingNanoClock(1), 100);
        assertEquals(IssueStatus.OK, w.awaitConsumedPast(4));
        assertEquals(0, idle.idles);
        assertEquals(ConsRegister.withErr(5, CommandError.ABT), w.lastCons(), "ERR bits ignored, kept in lastCons");
    }

    @Test
    void waitsForConsToMovePast()
    {
        final ActingIdle idle = new ActingIdle(3, () -> registers.putConsRelease(2));
        final ConsWaiter w = new ConsWaiter(registers, 3, idle, new SteppingNanoClock(1), 1_000);
        assertEquals(IssueStatus.OK, w.awaitConsumedPast(1));
        assertEquals(3, idle.idles);
        assertEquals(2, w.lastCons());
    }

    @Test
    void consOnThePositionIsNotPast()
    {
        registers.putConsRelease(8 | 1); // other wrap, index 1
        final ConsWaiter w = new ConsWaiter(registers, 3, NoOpIdleStrategy.INSTANCE, new SteppingNanoClock(10), 100);
        assertEquals(IssueStatus.TIMEOUT, w.awaitConsumedPast(8 | 1));
        assertEquals(IssueStatus.OK, w.awaitConsumedPast(8 | 0));
        assertEquals(IssueStatus.OK, w.awaitConsumedPast(7), "previous lap");
        assertEquals(IssueStatus.OK, w.awaitConsumedPast(2), "index above CONS but in the previous lap");
        assertEquals(IssueStatus.TIMEOUT, w.awaitConsumedPast(8 | 2), "same lap, ahead of CONS");
    }

    @Test
    void timesOutAfterTheClockPassedTheBound()
    {
        final SteppingNanoClock clock = new SteppingNanoClock(10);
        final ActingIdle idle = new ActingIdle(Integer.MAX_VALUE, () -> { });
        final ConsWaiter w = new ConsWaiter(registers, 3, idle, clock, 100);
        assertEquals(IssueStatus.TIMEOUT, w.awaitConsumedPast(0));
        assertEquals(10, idle.idles, "start read at 10, timeout when the clock reads 110");
        assertEquals(11, clock.reads());
    }

    @Test
    void closeReleasesAWaiter()
    {
        final ConsWaiter[] w = new ConsWaiter[1];
        final ActingIdle idle = new ActingIdle(2, () -> w[0].close());
        w[0] = new ConsWaiter(registers, 3, idle, new SteppingNanoClock(1), Long.MAX_VALUE);
        assertEquals(IssueStatus.CLOSED, w[0].awaitConsumedPast(0));
    }

    @Test
    void badArgumentsAreNamed()
    {
        final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
            () -> new ConsWaiter(registers, 0, NoOpIdleStrategy.INSTANCE, System::nanoTime, 1));
        assertTrue(size.getMessage().contains("log2Size=0"));
        final IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
            () -> new ConsWaiter(registers, 3, NoOpIdleStrategy.INSTANCE, System::nanoTime, -5));
        assertTrue(timeout.getMessage().contains("timeoutNs=-5"));
        final NullPointerException idle = assertThrows(NullPointerException.class,
            () -> new ConsWaiter(registers, 3, null, System::nanoTime, 1));
        assertEquals("idle", idle.getMessage());
    }
}
