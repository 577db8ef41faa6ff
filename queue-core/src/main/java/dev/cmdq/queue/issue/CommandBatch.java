package dev.cmdq.queue.issue;

import dev.cmdq.queue.RingMemory;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Linux's command batch ({@code struct arm_smmu_cmdq_batch}, smmuv3-cmdq.md §4.4) and its single-command
 * forms: up to
 * {@value #CAPACITY} pre-built commands gathered off-heap and handed to a {@link CommandIssuer} in one
 * call, so a whole batch costs one reservation round.
 *
 * <pre>
 *   add(cmd):   FORCE_SYNC and 63 held -&gt; flush WITH sync        (Arm MMU-700 erratum 2812531)
 *               64 held                -&gt; flush WITHOUT sync
 *               copy cmd into slot [count++]                  (two 8-byte moves; dwords little-endian)
 *   submit():   flush WITH sync, even when empty (a lone sync)
 *
 *   issueCommand(cmd) / issueCommandWithSync(cmd): one command on its own, n = 1, sync false / true
 *               (arm_smmu_cmdq_issue_cmd / _with_sync); the batch's held commands are not touched
 * </pre>
 *
 * <p><b>Failures lose nothing.</b> Linux discards a batch whatever its flush returned. Here a flush that
 * does not return {@link IssueStatus#OK} leaves the batch as it was and the command being added is not
 * added: the caller gets the status and decides (retry {@link #add}/{@link #submit}, or {@link #clear}).
 * A retry may insert commands a second time when the failed call had inserted them and only its
 * completion wait failed; SMMU invalidations are idempotent, so a duplicate is harmless where a loss is
 * not.
 *
 * <p>One batch belongs to one thread at a time (as Linux's lives on the caller's stack); reuse it for
 * any number of rounds. Nothing allocates after construction.
 */
public final class CommandBatch
{
    /** {@code CMDQ_BATCH_ENTRIES}: commands one batch holds. */
    public static final int CAPACITY = CommandIssuer.MAX_COMMANDS;
    /** Byte offset of the single-command slot, after the batch's slots. */
    private static final int SINGLE_OFFSET = CAPACITY * RingMemory.ENTRY_BYTES;

    private final CommandIssuer issuer;
    private final boolean forceSync;
    private final UnsafeBuffer commands;
    private int count;

    /**
     * A batch without FORCE_SYNC.
     *
     * @param issuer where flushes go.
     */
    public CommandBatch(final CommandIssuer issuer)
    {
        this(issuer, false);
    }

    /**
     * @param issuer    where flushes go.
     * @param forceSync {@code ARM_SMMU_OPT_CMDQ_FORCE_SYNC}: never more than 63 commands ahead of a sync.
     */
    public CommandBatch(final CommandIssuer issuer, final boolean forceSync)
    {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.forceSync = forceSync;
        this.commands = new UnsafeBuffer(BufferUtil.allocateDirectAligned((CAPACITY + 1) * RingMemory.ENTRY_BYTES, 64));
    }

    /**
     * Adds one command given as its two 64-bit words (dword0, dword1), flushing first when the batch
     * is full.
     *
     * @param dword0 bits 63:0 of the command.
     * @param dword1 bits 127:64 of the command.
     * @return {@link IssueStatus#OK} (added, after a successful flush if one was needed) or the failed
     *         flush's status (nothing changed, the command was not added).
     */
    public int add(final long dword0, final long dword1)
    {
        final int status = makeRoom();
        if (status == IssueStatus.OK)
        {
            // The queue's entries are little-endian dwords (SMMUv3 §1.2), whatever the host's order.
            final int at = count++ << RingMemory.ENTRY_SHIFT;
            commands.putLong(at, dword0, ByteOrder.LITTLE_ENDIAN);
            commands.putLong(at + 8, dword1, ByteOrder.LITTLE_ENDIAN);
        }
        return status;
    }

    /**
     * Adds one 16-byte command copied from a buffer, flushing first when the batch is full.
     *
     * @param source the command's buffer.
     * @param offset byte offset of the command.
     * @return as {@link #add(long, long)}.
     * @throws IllegalArgumentException naming {@code offset} when 16 bytes do not fit there.
     */
    public int add(final DirectBuffer source, final int offset)
    {
        if (offset < 0 || offset > source.capacity() - RingMemory.ENTRY_BYTES)
        {
            throw new IllegalArgumentException("offset=" + offset + " leaves no 16-byte command in a buffer of " +
                source.capacity() + " bytes");
        }
        final int status = makeRoom();
        if (status == IssueStatus.OK)
        {
            // Already encoded bytes: a 16-byte move, byte for byte, in whichever order the host has.
            final int at = count++ << RingMemory.ENTRY_SHIFT;
            commands.putLong(at, source.getLong(offset));
            commands.putLong(at + 8, source.getLong(offset + 8));
        }
        return status;
    }

    /**
     * Issues the held commands followed by a sync and waits for it ({@code arm_smmu_cmdq_batch_submit});
     * with no commands held this is a lone sync.
     *
     * @return the issuer's status; on {@link IssueStatus#OK} the batch is empty, otherwise unchanged.
     */
    public int submit()
    {
        return flush(true);
    }

    /**
     * Issues one command on its own, without a sync ({@code arm_smmu_cmdq_issue_cmd}). The held
     * commands are neither flushed nor changed.
     *
     * @param dword0 bits 63:0 of the command.
     * @param dword1 bits 127:64 of the command.
     * @return the issuer's status.
     */
    public int issueCommand(final long dword0, final long dword1)
    {
        return issueSingle(dword0, dword1, false);
    }

    /**
     * Issues one command followed by a sync and waits for it ({@code arm_smmu_cmdq_issue_cmd_with_sync}),
     * in one insertion. The held commands are neither flushed nor changed.
     *
     * @param dword0 bits 63:0 of the command.
     * @param dword1 bits 127:64 of the command.
     * @return the issuer's status.
     */
    public int issueCommandWithSync(final long dword0, final long dword1)
    {
        return issueSingle(dword0, dword1, true);
    }

    /**
     * @return commands held.
     */
    public int count()
    {
        return count;
    }

    /**
     * Drops the held commands.
     */
    public void clear()
    {
        count = 0;
    }

    /**
     * @return true when adding a command flushes first with a sync when 63 are held.
     */
    public boolean forceSync()
    {
        return forceSync;
    }

    private int makeRoom()
    {
        if (forceSync && count == CAPACITY - 1)
        {
            return flush(true);
        }
        if (count == CAPACITY)
        {
            return flush(false);
        }
        return IssueStatus.OK;
    }

    private int issueSingle(final long dword0, final long dword1, final boolean sync)
    {
        commands.putLong(SINGLE_OFFSET, dword0, ByteOrder.LITTLE_ENDIAN);
        commands.putLong(SINGLE_OFFSET + 8, dword1, ByteOrder.LITTLE_ENDIAN);
        return issuer.issue(commands, SINGLE_OFFSET, 1, sync);
    }

    private int flush(final boolean sync)
    {
        final int status = issuer.issue(commands, 0, count, sync);
        if (status == IssueStatus.OK)
        {
            count = 0;
        }
        return status;
    }
}
