package dev.cmdq.bench.insert;

import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The peer: Agrona's {@link ManyToOneRingBuffer} used at its best as a command queue — one record per
 * call carrying all of its commands (so a call stays contiguous, as Linux guarantees), written in place
 * after {@code tryClaim} as 16-byte moves, and a "sync" that waits until the consumer's position has
 * passed everything published up to the call's own record, which is what a CMD_SYNC guarantees. It
 * implements {@link CommandIssuer} so the benchmark drives it exactly like the cmdq strategies.
 */
final class ManyToOnePeer implements CommandIssuer
{
    private final ManyToOneRingBuffer ring;
    private final AtomicBuffer buffer;
    private final WaitPolicy wait;
    private volatile boolean closed;

    ManyToOnePeer(final int capacityBytes, final WaitPolicy wait)
    {
        this.ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.buffer = ring.buffer();
        this.wait = wait;
    }

    /**
     * @return the ring, for the consumer thread.
     */
    ManyToOneRingBuffer ring()
    {
        return ring;
    }

    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        if (count < 0 || count > MAX_COMMANDS)
        {
            throw new IllegalArgumentException("count=" + count + " outside [0, " + MAX_COMMANDS + "]");
        }
        final IdleStrategy idle = wait.idle();
        final long deadline = wait.deadline();
        if (count > 0)
        {
            int index;
            idle.reset();
            while ((index = ring.tryClaim(1, count << 4)) == RingBuffer.INSUFFICIENT_CAPACITY)
            {
                if (closed)
                {
                    return IssueStatus.CLOSED;
                }
                if (wait.expired(deadline))
                {
                    return IssueStatus.TIMEOUT;
                }
                idle.idle();
            }
            for (int i = 0; i < count; i++)
            {
                final int src = offset + (i << 4);
                final int dst = index + (i << 4);
                buffer.putLong(dst, commands.getLong(src));
                buffer.putLong(dst + 8, commands.getLong(src + 8));
            }
            ring.commit(index);
        }
        if (sync)
        {
            final long target = ring.producerPosition();
            idle.reset();
            while (ring.consumerPosition() < target)
            {
                if (closed)
                {
                    return IssueStatus.CLOSED;
                }
                if (wait.expired(deadline))
                {
                    return IssueStatus.TIMEOUT;
                }
                idle.idle();
            }
        }
        return IssueStatus.OK;
    }

    @Override
    public String name()
    {
        return "agrona-many-to-one";
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
