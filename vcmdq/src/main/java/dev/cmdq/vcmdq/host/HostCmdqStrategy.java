package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.spin.SpinLockIssuer;

/**
 * How a {@link HostCmdq} gets commands onto its main CMDQ: one queue-core {@link CommandIssuer} strategy
 * each. The single-writer dispatch strategies (writer thread, combining) join when queue-core's
 * {@code dev.cmdq.queue.dispatch} exists; they are deliberately absent until then rather than present
 * and failing.
 */
public enum HostCmdqStrategy
{
    /** Linux's lock-free multi-producer algorithm: every caller inserts (the host baseline). */
    LINUX_LOCKFREE
    {
        @Override
        CommandIssuer open(
            final RingMemory memory,
            final QueueRegisters registers,
            final CompletionEntry completion,
            final CompletionWait completionWait,
            final WaitPolicy wait)
        {
            return new LinuxCmdqIssuer(memory, registers, completion, completionWait, wait);
        }
    },
    /** One spin lock around the whole insertion: the naive baseline. */
    SPIN_LOCK
    {
        @Override
        CommandIssuer open(
            final RingMemory memory,
            final QueueRegisters registers,
            final CompletionEntry completion,
            final CompletionWait completionWait,
            final WaitPolicy wait)
        {
            return new SpinLockIssuer(memory, registers, completion, completionWait, wait);
        }
    };

    abstract CommandIssuer open(
        RingMemory memory,
        QueueRegisters registers,
        CompletionEntry completion,
        CompletionWait completionWait,
        WaitPolicy wait);
}
