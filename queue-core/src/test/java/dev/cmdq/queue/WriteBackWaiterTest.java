package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBackWaiterTest
{
    private final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(64));

    @Test
    void returnsAtOnceWhenTheWordIsThere()
    {
        ring.putInt(16, 7);
        final ConsWaiterTest.ActingIdle idle = new ConsWaiterTest.ActingIdle(1, () -> { });
        assertEquals(IssueStatus.OK, new WriteBackWaiter(ring, idle, new SteppingNanoClock(1), 10).await(16, 7));
        assertEquals(0, idle.idles);
    }

    @Test
    void waitsForTheDeviceToWriteTheWord()
    {
        ring.putInt(32, 0xC5);
        final ConsWaiterTest.ActingIdle idle = new ConsWaiterTest.ActingIdle(4, () -> ring.putIntRelease(32, 0));
        assertEquals(IssueStatus.OK, new WriteBackWaiter(ring, idle, new SteppingNanoClock(1), 1_000).await(32, 0));
        assertEquals(4, idle.idles);
    }

    @Test
    void otherWordsDoNotCount()
    {
        ring.putInt(32, 0xC5);
        final ConsWaiterTest.ActingIdle idle = new ConsWaiterTest.ActingIdle(1, () -> ring.putIntRelease(36, 0));
        assertEquals(IssueStatus.TIMEOUT,
            new WriteBackWaiter(ring, idle, new SteppingNanoClock(10), 100).await(32, 0));
        assertEquals(10, idle.idles);
    }

    @Test
    void closeReleasesAWaiter()
    {
        ring.putInt(0, 1);
        final WriteBackWaiter[] w = new WriteBackWaiter[1];
        w[0] = new WriteBackWaiter(ring, new ConsWaiterTest.ActingIdle(3, () -> w[0].close()),
            new SteppingNanoClock(1), Long.MAX_VALUE);
        assertEquals(IssueStatus.CLOSED, w[0].await(0, 0));
    }

    @Test
    void badArgumentsAreNamed()
    {
        final IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
            () -> new WriteBackWaiter(ring, NoOpIdleStrategy.INSTANCE, System::nanoTime, -1));
        assertTrue(timeout.getMessage().contains("timeoutNs=-1"));
        assertEquals("buffer", assertThrows(NullPointerException.class,
            () -> new WriteBackWaiter(null, NoOpIdleStrategy.INSTANCE, System::nanoTime, 1)).getMessage());
    }
}
