package dev.cmdq.queue.testkit;

import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Ring memory on the Java heap, for harnesses that create rings by the million (jcstress, Lincheck
 * states) where off-heap allocation per instance would dominate. Same view type ({@link AtomicBuffer})
 * as the real providers; the lifetime contract is honoured (close refused while held, length 0 after).
 */
public final class HeapRingMemory implements RingMemory
{
    private final int log2Size;
    private final long deviceAddress;
    private final UnsafeBuffer buffer;
    private int holders;
    private boolean closed;

    /**
     * @param log2Size      log2 of the number of entries, 1..19.
     * @param deviceAddress the address the device names slot 0 by.
     */
    public HeapRingMemory(final int log2Size, final long deviceAddress)
    {
        this.log2Size = QueueIndex.checkLog2Size(log2Size);
        this.deviceAddress = deviceAddress;
        this.buffer = new UnsafeBuffer(new byte[QueueIndex.capacity(log2Size) << ENTRY_SHIFT]);
    }

    @Override
    public int log2Size()
    {
        return log2Size;
    }

    @Override
    public int capacity()
    {
        return 1 << log2Size;
    }

    @Override
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    @Override
    public long deviceAddress()
    {
        return deviceAddress;
    }

    @Override
    public synchronized void retain()
    {
        if (closed)
        {
            throw new IllegalStateException("ring memory is closed");
        }
        holders++;
    }

    @Override
    public synchronized void release()
    {
        if (holders <= 0)
        {
            throw new IllegalStateException("release without retain (holders=" + holders + ")");
        }
        holders--;
    }

    @Override
    public synchronized boolean isClosed()
    {
        return closed;
    }

    @Override
    public synchronized void close()
    {
        if (holders > 0)
        {
            throw new IllegalStateException("ring memory still used by " + holders + " component(s); stop them first");
        }
        if (!closed)
        {
            closed = true;
            buffer.wrap(new byte[0]);
        }
    }
}
