package dev.cmdq.bench.insert;

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
 * The insertion strategies the benchmarks compare, by the names reports use. Each builds a
 * {@link CommandIssuer} over one command queue (ring, registers, CMD_SYNC format); the Agrona peer
 * carries its own ring and is built by the benchmark itself.
 */
public enum InsertStrategy
{
    /** Linux's lock-free multi-producer insertion, MSI write-back completion. */
    LINUX_LOCKFREE("linux-lockfree")
    {
        @Override
        CommandIssuer create(final RingMemory m, final QueueRegisters r, final CompletionEntry c, final WaitPolicy w)
        {
            return new LinuxCmdqIssuer(m, r, c, CompletionWait.WRITE_BACK, w);
        }
    },
    /** One test-and-test-and-set lock around reserve + write + publish: the baseline. */
    SPIN_LOCK("spin-lock")
    {
        @Override
        CommandIssuer create(final RingMemory m, final QueueRegisters r, final CompletionEntry c, final WaitPolicy w)
        {
            return new SpinLockIssuer(m, r, c, CompletionWait.WRITE_BACK, w);
        }
    },
    /**
     * Single-writer dispatch with a dedicated writer thread (MSI write-back completion): producers hand
     * over and wait; syncs of requests drained together share one CMD_SYNC.
     */
    DISPATCH_THREAD("dispatch-thread")
    {
        @Override
        CommandIssuer create(final RingMemory m, final QueueRegisters r, final CompletionEntry c, final WaitPolicy w)
        {
            return new DispatchIssuer(m, r, c, CompletionWait.WRITE_BACK, w, DispatchMode.WRITER_THREAD);
        }
    },
    /** Single-writer dispatch by combining: a waiting producer runs the writer for everybody queued. */
    DISPATCH_COMBINING("dispatch-combining")
    {
        @Override
        CommandIssuer create(final RingMemory m, final QueueRegisters r, final CompletionEntry c, final WaitPolicy w)
        {
            return new DispatchIssuer(m, r, c, CompletionWait.WRITE_BACK, w, DispatchMode.COMBINING);
        }
    },
    /** Agrona's many-to-one ring buffer as a command queue (the peer). */
    AGRONA_MANY_TO_ONE("agrona-m2o")
    {
        @Override
        CommandIssuer create(final RingMemory m, final QueueRegisters r, final CompletionEntry c, final WaitPolicy w)
        {
            throw new UnsupportedOperationException("the Agrona peer has its own ring: see InsertBenchmark");
        }
    };

    private final String label;

    InsertStrategy(final String label)
    {
        this.label = label;
    }

    /**
     * @return the name used in reports and JMH parameters.
     */
    public String label()
    {
        return label;
    }

    abstract CommandIssuer create(RingMemory memory, QueueRegisters registers, CompletionEntry completion, WaitPolicy wait);

    /**
     * @param label a report name.
     * @return the strategy.
     * @throws IllegalArgumentException naming the label if unknown.
     */
    public static InsertStrategy ofLabel(final String label)
    {
        for (final InsertStrategy s : values())
        {
            if (s.label.equals(label))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + label + "'");
    }
}
