package dev.cmdq.queue.issue;

import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.Objects;

/**
 * The completion waits of a multi-producer issuer, safe to call from any number of threads at once
 * (each backs off with its own idle strategy from the {@link WaitPolicy}): Linux's
 * {@code __arm_smmu_cmdq_poll_until_msi} and {@code __arm_smmu_cmdq_poll_until_consumed}
 * (smmuv3-cmdq.md §3).
 *
 * <p>Both are only meaningful while the waited-for slot cannot be reused: the issuer guarantees it
 * (Linux's issuer with its cmdq lock, the spin-lock issuer by holding the slot).
 */
public final class CompletionWaiter
{
    private final AtomicBuffer ring;
    private final QueueRegisters registers;
    private final int log2Size;
    private final int wrapIndexMask;
    private final WaitPolicy wait;
    private volatile boolean closed;

    /**
     * @param ring      the ring the device writes completion words into.
     * @param registers the queue's registers (CONS).
     * @param log2Size  log2 of the ring's entries.
     * @param wait      back-off and bound.
     */
    public CompletionWaiter(
        final AtomicBuffer ring, final QueueRegisters registers, final int log2Size, final WaitPolicy wait)
    {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.registers = Objects.requireNonNull(registers, "registers");
        this.log2Size = QueueIndex.checkLog2Size(log2Size);
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /**
     * MSI polling: waits until the 32-bit word at {@code offset} holds {@code value} (acquire loads).
     *
     * @param offset byte offset of the completion entry's slot.
     * @param value  the write-back value.
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT} or {@link IssueStatus#CLOSED}.
     */
    public int awaitWriteBack(final int offset, final int value)
    {
        if (ring.getIntAcquire(offset) == value)
        {
            return IssueStatus.OK;
        }
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (true)
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
            if (ring.getIntAcquire(offset) == value)
            {
                return IssueStatus.OK;
            }
        }
    }

    /**
     * CONS polling: waits until CONS has moved past {@code position}.
     *
     * @param position PROD value (index and wrap) of the completion entry.
     * @return the CONS read that showed it (index and wrap, {@code >= 0}), or {@link IssueStatus#TIMEOUT}
     *         / {@link IssueStatus#CLOSED} (negative).
     */
    public int awaitConsumedPast(final int position)
    {
        int cons = registers.getConsAcquire() & wrapIndexMask;
        if (QueueIndex.consumedPast(cons, position, log2Size))
        {
            return cons;
        }
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (true)
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
            cons = registers.getConsAcquire() & wrapIndexMask;
            if (QueueIndex.consumedPast(cons, position, log2Size))
            {
                return cons;
            }
        }
    }

    /**
     * Makes current and later waits return {@link IssueStatus#CLOSED}. Any thread may call it.
     */
    public void close()
    {
        closed = true;
    }
}
