package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.Objects;

/**
 * Waits for the device's completion write-back — Linux's MSI polling
 * ({@code __arm_smmu_cmdq_poll_until_msi}, smmuv3-cmdq.md §3): the completion entry names its own slot
 * as MSIADDR, the device stores the 32-bit MSIDATA there when it completes the entry, and the waiter
 * spins (acquire loads, backing off with the {@link IdleStrategy}) until the word holds that value or
 * the timeout passes. It never reads a register, which is the point on a trapped queue.
 *
 * <p>The wait proves completion only if nothing else can make the word equal to the value: the slot
 * must not be reused before the waiter saw it (the {@link SingleWriterProducer} guarantees this), and
 * the entry as written must not already hold the value there (checked when the producer claims it).
 *
 * <p>A waiter belongs to one thread at a time; {@link #close()} may be called from any thread and
 * releases a waiting thread with {@link IssueStatus#CLOSED}.
 */
public final class WriteBackWaiter
{
    private final AtomicBuffer buffer;
    private final IdleStrategy idle;
    private final NanoClock clock;
    private final long timeoutNs;
    private volatile boolean closed;

    /**
     * @param buffer    the memory the device writes into (the ring).
     * @param idle      how to back off between polls.
     * @param clock     time source for the timeout.
     * @param timeoutNs longest wait, {@code >= 0}.
     * @throws IllegalArgumentException naming {@code timeoutNs} when negative.
     */
    public WriteBackWaiter(
        final AtomicBuffer buffer, final IdleStrategy idle, final NanoClock clock, final long timeoutNs)
    {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutNs = Arguments.timeout(timeoutNs);
    }

    /**
     * Waits until the 32-bit word at {@code offset} equals {@code value}.
     *
     * @param offset byte offset of the word in the buffer, 4-byte aligned.
     * @param value  the value the device writes on completion.
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT} or {@link IssueStatus#CLOSED}.
     */
    public int await(final int offset, final int value)
    {
        if (buffer.getIntAcquire(offset) == value)
        {
            return IssueStatus.OK;
        }

        idle.reset();
        final long start = clock.nanoTime();
        while (true)
        {
            if (closed)
            {
                return IssueStatus.CLOSED;
            }
            idle.idle();
            if (buffer.getIntAcquire(offset) == value)
            {
                return IssueStatus.OK;
            }
            if (clock.nanoTime() - start >= timeoutNs)
            {
                return IssueStatus.TIMEOUT;
            }
        }
    }

    /**
     * Makes current and future waits return {@link IssueStatus#CLOSED}. Any thread may call it.
     */
    public void close()
    {
        closed = true;
    }
}
