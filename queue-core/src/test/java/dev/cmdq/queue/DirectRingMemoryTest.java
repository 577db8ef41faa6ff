package dev.cmdq.queue;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectRingMemoryTest
{
    @Test
    void naturallyAlignedAndZeroedAtEverySize()
    {
        for (int l = QueueIndex.MIN_LOG2_SIZE; l <= QueueIndex.MAX_LOG2_SIZE; l++)
        {
            final DirectRingMemory memory = DirectRingMemory.allocate(l);
            final long bytes = (1L << l) * 16;
            final long alignment = Math.max(bytes, 64);
            assertEquals(0, memory.buffer().addressOffset() % alignment, "2^" + l + " aligned to its size");
            for (int i = 0; i < bytes; i += 8)
            {
                if (memory.buffer().getLong(i) != 0)
                {
                    throw new AssertionError("not zeroed at " + i + " for 2^" + l);
                }
            }
            // Regression: freeing used to throw "duplicate or slice" (the aligned buffer was a slice).
            assertDoesNotThrow(memory::close);
            assertTrue(memory.isClosed());
        }
    }

    @Test
    void sizeOutsideOneToNineteenIsRejectedNamingIt()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirectRingMemory.allocate(20));
        assertTrue(e.getMessage().contains("log2Size=20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DirectRingMemory.allocate(0));
    }

    @Test
    void holdersCountRetainsAndReleases()
    {
        final DirectRingMemory memory = DirectRingMemory.allocate(2);
        assertEquals(0, memory.holders());
        memory.retain();
        assertEquals(1, memory.holders());
        memory.release();
        memory.close();
        assertEquals(-1, memory.holders());
    }

    @Test
    void concurrentRetainAndCloseNeverCloseUnderAHolder() throws Exception
    {
        for (int round = 0; round < 200; round++)
        {
            final DirectRingMemory memory = DirectRingMemory.allocate(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread holder = new Thread(() ->
            {
                try
                {
                    memory.retain();
                }
                catch (final IllegalStateException closedFirst)
                {
                    return;
                }
                try
                {
                    // While held, the memory must stay usable: a close under a holder would make this throw.
                    for (int i = 0; i < 100; i++)
                    {
                        memory.buffer().putLong(0, i);
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
                memory.release();
            });
            holder.start();
            boolean closed = false;
            while (!closed)
            {
                try
                {
                    memory.close();
                    closed = true;
                }
                catch (final IllegalStateException held)
                {
                    Thread.onSpinWait();
                }
            }
            holder.join();
            assertTrue(memory.isClosed());
            assertNull(failure.get(), "memory closed under a holder");
        }
    }
}
