package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.Objects;

/**
 * Waits until the device has consumed past a position by polling CONS — Linux's
 * {@code __arm_smmu_cmdq_poll_until_consumed} (smmuv3-cmdq.md §3, "CONS poll"): re-read CONS (acquire),
 * test {@link QueueIndex#consumedPast}, back off with the {@link IdleStrategy}, give up after the timeout.
 *
 * <p>{@code consumedPast} is only meaningful while the consumer cannot have lapped the position twice;
 * the caller guarantees it by not letting the slot be reused before the wait ends (the
 * {@link SingleWriterProducer} checks that the position is within the last ring it published).
 *
 * <p>A waiter belongs to one thread at a time (the idle strategy has state). {@link #close()} may be
 * called from any thread and releases a waiting thread with {@link IssueStatus#CLOSED}.
 *
 * <p>If the queue is halted on a command error the wait does not end by itself: whoever handles GERROR
 * ({@link CommandErrorRecovery}) must repair and acknowledge, else the wait returns
 * {@link IssueStatus#TIMEOUT} and the queue stays as it was. In an inline (single-thread) setup, pass an
 * idle strategy whose {@code idle()} drives the device agent.
 */
public final class ConsWaiter
{
    private final QueueRegisters registers;
    private final int log2Size;
    private final IdleStrategy idle;
    private final NanoClock clock;
    private final long timeoutNs;
    private int lastCons;
    private volatile boolean closed;

    /**
     * @param registers the queue's registers.
     * @param log2Size  log2 of the ring's entries, 1..19.
     * @param idle      how to back off between polls.
     * @param clock     time source for the timeout.
     * @param timeoutNs longest wait, {@code >= 0}.
     * @throws IllegalArgumentException naming {@code log2Size} or {@code timeoutNs} when out of range.
     */
    public ConsWaiter(
        final QueueRegisters registers,
        final int log2Size,
        final IdleStrategy idle,
        final NanoClock clock,
        final long timeoutNs)
    {
        this.registers = Objects.requireNonNull(registers, "registers");
        this.log2Size = QueueIndex.checkLog2Size(log2Size);
        this.idle = Objects.requireNonNull(idle, "idle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutNs = Arguments.timeout(timeoutNs);
    }

    /**
     * Waits until CONS has moved past {@code position}.
     *
     * @param position a PROD value (IDX and WRAP) of the entry waited for.
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT} or {@link IssueStatus#CLOSED}.
     */
    public int awaitConsumedPast(final int position)
    {
        int cons = registers.getConsAcquire();
        if (QueueIndex.consumedPast(cons, position, log2Size))
        {
            lastCons = cons;
            return IssueStatus.OK;
        }

        idle.reset();
        final long start = clock.nanoTime();
        while (true)
        {
            if (closed)
            {
                lastCons = cons;
                return IssueStatus.CLOSED;
            }
            idle.idle();
            cons = registers.getConsAcquire();
            if (QueueIndex.consumedPast(cons, position, log2Size))
            {
                lastCons = cons;
                return IssueStatus.OK;
            }
            if (clock.nanoTime() - start >= timeoutNs)
            {
                lastCons = cons;
                return IssueStatus.TIMEOUT;
            }
        }
    }

    /**
     * @return the CONS value read last by {@link #awaitConsumedPast} (ERR bits included).
     */
    public int lastCons()
    {
        return lastCons;
    }

    /**
     * Makes current and future waits return {@link IssueStatus#CLOSED}. Any thread may call it.
     */
    public void close()
    {
        closed = true;
    }
}
