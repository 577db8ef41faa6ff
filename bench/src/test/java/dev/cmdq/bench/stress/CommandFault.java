package dev.cmdq.bench.stress;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import dev.cmdq.queue.CommandError;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.vcmdq.hw.CommandExecution;

/**
 * A broken SMMU for positive controls of the exactly-once check: wrapped around each SMMU's ledger tap
 * (applied once per SMMU, in SMMU order), it loses or executes twice the {@code nth} command of one opcode
 * that reaches any SMMU, and records which one (its SMMU and its words after substitution, so a test can
 * say which owner's books must break).
 */
final class CommandFault implements UnaryOperator<CommandExecution>
{
    /** What happens to the chosen command. */
    enum Mode
    {
        /** Completed without executing: the ledger and the caches never see it. */
        DROP,
        /** Executed twice. */
        DUPLICATE
    }

    /** No command was faulted yet. */
    static final int NONE = -1;

    private final Mode mode;
    private final int opcode;
    private final long nth;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicInteger applied = new AtomicInteger();
    private volatile int faultedSmmu = NONE;
    private volatile long faultedDword0;

    /**
     * @param mode   drop or duplicate.
     * @param opcode the opcode byte of the commands counted.
     * @param nth    which of them (1 = the first).
     */
    CommandFault(final Mode mode, final int opcode, final long nth)
    {
        this.mode = mode;
        this.opcode = opcode;
        this.nth = nth;
    }

    @Override
    public CommandExecution apply(final CommandExecution target)
    {
        final int smmu = applied.getAndIncrement();
        return (dword0, dword1) ->
        {
            if ((dword0 & CommandLayout.OPCODE_MASK) != opcode || seen.incrementAndGet() != nth)
            {
                return target.execute(dword0, dword1);
            }
            faultedDword0 = dword0;
            faultedSmmu = smmu;
            if (mode == Mode.DROP)
            {
                return CommandError.NONE;
            }
            final int first = target.execute(dword0, dword1);
            return first != CommandError.NONE ? first : target.execute(dword0, dword1);
        };
    }

    /**
     * @return the SMMU of the faulted command, or {@link #NONE}.
     */
    int faultedSmmu()
    {
        return faultedSmmu;
    }

    /**
     * @return the faulted command's dword 0 (valid once {@link #faultedSmmu()} is not {@link #NONE}).
     */
    long faultedDword0()
    {
        return faultedDword0;
    }
}
