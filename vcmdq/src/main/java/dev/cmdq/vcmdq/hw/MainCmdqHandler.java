package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.EntryHandler;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.validate.CommandValidator;
import dev.cmdq.smmu.validate.QueueKind;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The engine's action on an entry of the main CMDQ: every valid command (the main queue's rules,
 * {@link QueueKind#MAIN_CMDQ}) goes to the {@link CommandExecution} unchanged; an invalid one halts the
 * queue with the validator's CERROR. The host owns this queue, so nothing is substituted.
 */
final class MainCmdqHandler implements EntryHandler
{
    private final HardwarePolicy policy;
    private final CommandExecution execution;

    MainCmdqHandler(final HardwarePolicy policy, final CommandExecution execution)
    {
        this.policy = policy;
        this.execution = execution;
    }

    @Override
    public int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        final long dword0 = CommandWords.dword0(buffer, offset);
        final long dword1 = CommandWords.dword1(buffer, offset);
        final int error = CommandValidator.validate(dword0, dword1, QueueKind.MAIN_CMDQ, policy.reservedBits());
        return error != CommandError.NONE ? error : execution.execute(dword0, dword1);
    }
}
