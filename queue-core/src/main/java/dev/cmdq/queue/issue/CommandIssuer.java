package dev.cmdq.queue.issue;

import org.agrona.DirectBuffer;

/**
 * One way of getting pre-built commands into a command queue from many threads — the contract every
 * insertion strategy implements (Linux's lock-free algorithm, the spin-lock baseline, single-writer
 * dispatch with a writer thread or by combining), so tests and benchmarks run each through the same
 * code. It is Linux's {@code arm_smmu_cmdq_issue_cmdlist(cmds, n, sync)}.
 *
 * <p>Guarantees to callers, as Linux gives them (smmuv3-cmdq.md §3): the {@code count} commands of one
 * call are contiguous in the queue and in order, all of them before or all after any other call's;
 * with {@code sync}, a completion entry follows them and the call returns {@link IssueStatus#OK} only
 * after the device consumed past it. Every wait is bounded; a caller never waits forever.
 */
public interface CommandIssuer extends AutoCloseable
{
    /** Most commands one call inserts (CMDQ_BATCH_ENTRIES). */
    int MAX_COMMANDS = 64;

    /**
     * Inserts commands as one atomic insertion, optionally followed by a completion entry whose
     * completion the call waits for.
     *
     * @param commands source of the commands, 16 bytes each, copied as 16-byte moves.
     * @param offset   byte offset of the first command in {@code commands}.
     * @param count    number of commands, 0..{@value #MAX_COMMANDS} (0 with {@code sync} = a lone sync).
     * @param sync     whether to append a completion entry and wait for it.
     * @return {@link IssueStatus#OK} or a negative {@link IssueStatus} code.
     * @throws IllegalArgumentException naming {@code count} when it is out of range.
     */
    int issue(DirectBuffer commands, int offset, int count, boolean sync);

    /**
     * @return a short name for reports ("linux-lockfree", "spin-lock", ...).
     */
    String name();

    /**
     * Stops accepting work; callers still waiting are released with {@link IssueStatus#CLOSED}.
     */
    @Override
    void close();
}
