package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.testkit.AccessLog;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A state buffer for {@link LinuxCmdqIssuer} that logs every store and atomic read-modify-write to an
 * {@link AccessLog} under target {@code "STATE"} (atomics and release stores as
 * {@link AccessLog.Kind#RELEASE_WRITE}, with the delta of an atomic add or the new value of a store or
 * CAS as the value), so a test can pin the order of the algorithm's steps against ring and register
 * accesses.
 */
final class RecordingStateBuffer extends UnsafeBuffer
{
    private final AccessLog log;

    RecordingStateBuffer(final int log2Size, final AccessLog log)
    {
        super(BufferUtil.allocateDirectAligned(CmdqState.length(log2Size), CmdqState.LINE));
        this.log = log;
    }

    private void rmw(final int index, final long value)
    {
        log.add("STATE", AccessLog.Kind.RELEASE_WRITE, index, value);
    }

    @Override
    public long getAndAddLong(final int index, final long delta)
    {
        rmw(index, delta);
        return super.getAndAddLong(index, delta);
    }

    @Override
    public int getAndAddInt(final int index, final int delta)
    {
        rmw(index, delta);
        return super.getAndAddInt(index, delta);
    }

    @Override
    public long compareAndExchangeLong(final int index, final long expected, final long update)
    {
        final long witness = super.compareAndExchangeLong(index, expected, update);
        if (witness == expected)
        {
            rmw(index, update);
        }
        return witness;
    }

    @Override
    public boolean compareAndSetLong(final int index, final long expected, final long update)
    {
        final boolean set = super.compareAndSetLong(index, expected, update);
        if (set)
        {
            rmw(index, update);
        }
        return set;
    }

    @Override
    public boolean compareAndSetInt(final int index, final int expected, final int update)
    {
        final boolean set = super.compareAndSetInt(index, expected, update);
        if (set)
        {
            rmw(index, update);
        }
        return set;
    }

    @Override
    public void putIntRelease(final int index, final int value)
    {
        rmw(index, value);
        super.putIntRelease(index, value);
    }

    @Override
    public void putIntVolatile(final int index, final int value)
    {
        rmw(index, value);
        super.putIntVolatile(index, value);
    }

    @Override
    public void putLongVolatile(final int index, final long value)
    {
        rmw(index, value);
        super.putLongVolatile(index, value);
    }
}
