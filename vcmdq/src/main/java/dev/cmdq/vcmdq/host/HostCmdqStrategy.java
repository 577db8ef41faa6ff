package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.dispatch.DispatchIssuer;
import dev.cmdq.queue.dispatch.DispatchMode;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.spin.SpinLockIssuer;

/**
 * How a {@link HostCmdq} gets commands onto its main CMDQ: one queue-core {@link CommandIssuer} strategy
 * each — Linux's lock-free multi-producer algorithm, the spin-lock baseline, and queue-core's
 * single-writer dispatch ({@code dev.cmdq.queue.dispatch}) with a writer thread or by combining. One
 * dispatcher per main CMDQ, so per physical SMMU: the host is the only writer of that ring.
 *
 * <p>The dispatch strategies work with a device driven from the callers' idle strategy (the tests'
 * inline mode): the writer, thread or combiner, needs the device to move only while some caller waits
 * for it, and waiting callers run the device.
 */
public enum HostCmdqStrategy
{
    /** Linux's lock-free multi-producer algorithm: every caller inserts (the host baseline). */
    LINUX_LOCKFREE(LinuxCmdqIssuer::new),
    /** One spin lock around the whole insertion: the naive baseline. */
    SPIN_LOCK(SpinLockIssuer::new),
    /**
     * Single-writer dispatch with a dedicated writer thread: callers hand over their batches and wait;
     * concurrent syncs share one CMD_SYNC. On a host with few cores the writer competes with the callers.
     */
    DISPATCH_THREAD((memory, registers, completion, completionWait, wait) ->
        new DispatchIssuer(memory, registers, completion, completionWait, wait, DispatchMode.WRITER_THREAD)),
    /**
     * Single-writer dispatch by combining: a waiting caller that finds the writer idle becomes it for one
     * drain, serving everybody queued (no extra thread).
     */
    DISPATCH_COMBINING((memory, registers, completion, completionWait, wait) ->
        new DispatchIssuer(memory, registers, completion, completionWait, wait, DispatchMode.COMBINING));

    private final Opener opener;

    HostCmdqStrategy(final Opener opener)
    {
        this.opener = opener;
    }

    CommandIssuer open(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait)
    {
        return opener.open(memory, registers, completion, completionWait, wait);
    }

    /** The issuer constructor of one strategy. */
    @FunctionalInterface
    private interface Opener
    {
        CommandIssuer open(
            RingMemory memory,
            QueueRegisters registers,
            CompletionEntry completion,
            CompletionWait completionWait,
            WaitPolicy wait);
    }
}
