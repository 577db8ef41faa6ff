package dev.cmdq.queue;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every {@link RingMemory} provider shares: the one {@link UnsafeBuffer} view, the holder count
 * that makes {@link #close()} refuse while components still use the slab, and the collapse of the view
 * to length 0 on close. Providers supply only how the slab is obtained and freed.
 */
abstract class LeasedRingMemory implements RingMemory
{
    private static final int CLOSED = -1;

    private final int log2Size;
    private final long deviceAddress;
    private final UnsafeBuffer buffer;
    /** Number of holders, or {@link #CLOSED}. */
    private final AtomicInteger holders = new AtomicInteger();

    LeasedRingMemory(final int log2Size, final long address, final long deviceAddress)
    {
        this.log2Size = QueueIndex.checkLog2Size(log2Size);
        this.deviceAddress = deviceAddress;
        this.buffer = new UnsafeBuffer(address, QueueIndex.capacity(log2Size) << ENTRY_SHIFT);
    }

    /**
     * Frees the slab; called once, after the view has been collapsed.
     */
    abstract void free();

    /**
     * {@inheritDoc}
     */
    public final int log2Size()
    {
        return log2Size;
    }

    /**
     * {@inheritDoc}
     */
    public final int capacity()
    {
        return 1 << log2Size;
    }

    /**
     * {@inheritDoc}
     */
    public final UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * {@inheritDoc}
     */
    public final long deviceAddress()
    {
        return deviceAddress;
    }

    /**
     * {@inheritDoc}
     */
    public final void retain()
    {
        while (true)
        {
            final int n = holders.get();
            if (n == CLOSED)
            {
                throw new IllegalStateException("ring memory is closed");
            }
            if (holders.compareAndSet(n, n + 1))
            {
                return;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public final void release()
    {
        while (true)
        {
            final int n = holders.get();
            if (n <= 0)
            {
                throw new IllegalStateException("release without retain (holders=" + n + ")");
            }
            if (holders.compareAndSet(n, n - 1))
            {
                return;
            }
        }
    }

    /**
     * @return the number of components holding the memory, -1 once closed.
     */
    public final int holders()
    {
        return holders.get();
    }

    /**
     * {@inheritDoc}
     */
    public final boolean isClosed()
    {
        return holders.get() == CLOSED;
    }

    /**
     * {@inheritDoc}
     */
    public final void close()
    {
        while (true)
        {
            final int n = holders.get();
            if (n == CLOSED)
            {
                return;
            }
            if (n > 0)
            {
                throw new IllegalStateException("ring memory still used by " + n + " component(s); stop them first");
            }
            if (holders.compareAndSet(0, CLOSED))
            {
                break;
            }
        }
        // Collapse the view first: any stray access now fails a bounds check instead of reading freed memory.
        buffer.wrap(0L, 0);
        free();
    }
}
