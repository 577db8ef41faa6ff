package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.DirectBuffer;

import java.util.Objects;

/**
 * The host kernel's one way to put commands on a physical SMMU's main CMDQ — Linux's
 * {@code arm_smmu_cmdq_issue_cmdlist} — over a strategy chosen by configuration
 * ({@link HostCmdqStrategy}). Everything in the host (invalidate, teardown syncs, VMID-wide
 * invalidation) goes through it, so the strategies are compared on the same traffic.
 *
 * <p>Completion entries are Linux's main-CMDQ CMD_SYNC ({@link CmdSyncCompletion#LINUX}): CS=IRQ with an
 * MSI write-back into the sync's own slot for {@link CompletionWait#WRITE_BACK} (Linux's MSI polling),
 * CS=SEV for {@link CompletionWait#CONS_POLL}. Thread-safe to the extent of the strategy (all are
 * multi-producer). The hot path allocates nothing.
 */
public final class HostCmdq implements AutoCloseable
{
    /** Most commands one {@link #issue} call takes (CMDQ_BATCH_ENTRIES). */
    public static final int MAX_COMMANDS = CommandIssuer.MAX_COMMANDS;

    private final int smmuId;
    private final HostCmdqStrategy strategy;
    private final CommandIssuer issuer;

    private HostCmdq(final int smmuId, final HostCmdqStrategy strategy, final CommandIssuer issuer)
    {
        this.smmuId = smmuId;
        this.strategy = strategy;
        this.issuer = issuer;
    }

    /**
     * Opens the main CMDQ of one physical SMMU for the host.
     *
     * @param smmuId         the physical SMMU (for reports and checks).
     * @param strategy       the insertion strategy.
     * @param memory         the main CMDQ's ring (retained until {@link #close()}).
     * @param registers      the main CMDQ's PROD/CONS/GERROR registers.
     * @param completionWait MSI write-back (Linux's default) or CONS polling.
     * @param wait           back-off and bound of every wait.
     * @return the host's queue.
     */
    public static HostCmdq open(
        final int smmuId,
        final HostCmdqStrategy strategy,
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionWait completionWait,
        final WaitPolicy wait)
    {
        Objects.requireNonNull(strategy, "strategy");
        return new HostCmdq(smmuId, strategy,
            strategy.open(memory, registers, CmdSyncCompletion.LINUX, Objects.requireNonNull(completionWait, "completionWait"), wait));
    }

    /**
     * Inserts {@code count} commands contiguously, optionally followed by a CMD_SYNC the call waits for.
     *
     * @param commands source, 16 bytes per command (copied as two-long moves).
     * @param offset   byte offset of the first command.
     * @param count    0..{@value #MAX_COMMANDS}.
     * @param sync     append a CMD_SYNC and wait for its completion (bounded).
     * @return an {@link IssueStatus} code.
     * @throws IllegalArgumentException naming {@code count} when out of range.
     */
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        return issuer.issue(commands, offset, count, sync);
    }

    /**
     * @return the physical SMMU this queue belongs to.
     */
    public int smmuId()
    {
        return smmuId;
    }

    /**
     * @return the strategy in use.
     */
    public HostCmdqStrategy strategy()
    {
        return strategy;
    }

    /**
     * @return the strategy's report name.
     */
    public String name()
    {
        return issuer.name();
    }

    /**
     * Stops accepting work; waiting callers get {@link IssueStatus#CLOSED}.
     */
    @Override
    public void close()
    {
        issuer.close();
    }
}
