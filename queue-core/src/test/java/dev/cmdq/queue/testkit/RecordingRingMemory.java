package dev.cmdq.queue.testkit;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.RingMemory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Ring memory whose buffer logs every load and store of the common accessors (8/4/1-byte plain,
 * acquire/volatile loads, release/ordered/volatile stores, byte copies) to an {@link AccessLog}.
 * Backed by a {@link DirectRingMemory}, which {@link #close()} closes.
 */
public final class RecordingRingMemory implements RingMemory
{
    private final DirectRingMemory backing;
    private final RecordingBuffer buffer;

    /**
     * @param log2Size log2 of the number of entries.
     * @param log      where accesses go.
     */
    public RecordingRingMemory(final int log2Size, final AccessLog log)
    {
        this.backing = DirectRingMemory.allocate(log2Size);
        final AtomicBuffer b = backing.buffer();
        this.buffer = new RecordingBuffer(b.addressOffset(), b.capacity(), log);
    }

    @Override
    public int log2Size()
    {
        return backing.log2Size();
    }

    @Override
    public int capacity()
    {
        return backing.capacity();
    }

    @Override
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    @Override
    public long deviceAddress()
    {
        return backing.deviceAddress();
    }

    @Override
    public void retain()
    {
        backing.retain();
    }

    @Override
    public void release()
    {
        backing.release();
    }

    @Override
    public boolean isClosed()
    {
        return backing.isClosed();
    }

    @Override
    public void close()
    {
        backing.close();
        buffer.wrap(0L, 0);
    }

    /**
     * The logging view.
     */
    static final class RecordingBuffer extends UnsafeBuffer
    {
        private final AccessLog log;

        RecordingBuffer(final long address, final int length, final AccessLog log)
        {
            super(address, length);
            this.log = log;
        }

        private void w(final int index, final long value)
        {
            log.add("RING", AccessLog.Kind.PLAIN_WRITE, index, value);
        }

        private void wr(final int index, final long value)
        {
            log.add("RING", AccessLog.Kind.RELEASE_WRITE, index, value);
        }

        private void r(final int index, final long value)
        {
            log.add("RING", AccessLog.Kind.PLAIN_READ, index, value);
        }

        private void ra(final int index, final long value)
        {
            log.add("RING", AccessLog.Kind.ACQUIRE_READ, index, value);
        }

        @Override
        public void putLong(final int index, final long value)
        {
            w(index, value);
            super.putLong(index, value);
        }

        @Override
        public void putLong(final int index, final long value, final ByteOrder order)
        {
            w(index, value);
            super.putLong(index, value, order);
        }

        @Override
        public void putInt(final int index, final int value)
        {
            w(index, value);
            super.putInt(index, value);
        }

        @Override
        public void putInt(final int index, final int value, final ByteOrder order)
        {
            w(index, value);
            super.putInt(index, value, order);
        }

        @Override
        public void putByte(final int index, final byte value)
        {
            w(index, value);
            super.putByte(index, value);
        }

        @Override
        public void putBytes(final int index, final DirectBuffer src, final int srcIndex, final int length)
        {
            w(index, length);
            super.putBytes(index, src, srcIndex, length);
        }

        @Override
        public void putBytes(final int index, final byte[] src, final int offset, final int length)
        {
            w(index, length);
            super.putBytes(index, src, offset, length);
        }

        @Override
        public void putLongRelease(final int index, final long value)
        {
            wr(index, value);
            super.putLongRelease(index, value);
        }

        @Override
        public void putLongOrdered(final int index, final long value)
        {
            wr(index, value);
            super.putLongOrdered(index, value);
        }

        @Override
        public void putLongVolatile(final int index, final long value)
        {
            wr(index, value);
            super.putLongVolatile(index, value);
        }

        @Override
        public void putIntRelease(final int index, final int value)
        {
            wr(index, value);
            super.putIntRelease(index, value);
        }

        @Override
        public void putIntOrdered(final int index, final int value)
        {
            wr(index, value);
            super.putIntOrdered(index, value);
        }

        @Override
        public void putIntVolatile(final int index, final int value)
        {
            wr(index, value);
            super.putIntVolatile(index, value);
        }

        @Override
        public long getLong(final int index)
        {
            final long v = super.getLong(index);
            r(index, v);
            return v;
        }

        @Override
        public int getInt(final int index)
        {
            final int v = super.getInt(index);
            r(index, v);
            return v;
        }

        @Override
        public byte getByte(final int index)
        {
            final byte v = super.getByte(index);
            r(index, v);
            return v;
        }

        @Override
        public long getLongAcquire(final int index)
        {
            final long v = super.getLongAcquire(index);
            ra(index, v);
            return v;
        }

        @Override
        public long getLongVolatile(final int index)
        {
            final long v = super.getLongVolatile(index);
            ra(index, v);
            return v;
        }

        @Override
        public int getIntAcquire(final int index)
        {
            final int v = super.getIntAcquire(index);
            ra(index, v);
            return v;
        }

        @Override
        public int getIntVolatile(final int index)
        {
            final int v = super.getIntVolatile(index);
            ra(index, v);
            return v;
        }
    }
}
