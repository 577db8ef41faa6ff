package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.DirectBuffer;

import java.util.Objects;

/**
 * One vCPU's view of its queue: passes every insertion to the queue's shared {@link CommandIssuer} and
 * counts, for that vCPU only, the insertions ({@code issue()} calls, Linux's
 * {@code arm_smmu_cmdq_issue_cmdlist}), the commands and the syncs of those that returned
 * {@link IssueStatus#OK}, and the calls that did not. Plain fields: a vCPU runs on one thread at a time.
 * Closing it does not close the queue.
 */
public final class InsertionCounter implements CommandIssuer
{
    private final CommandIssuer queue;
    private long insertions;
    private long commands;
    private long syncs;
    private long failures;

    /**
     * @param queue the queue's issuer, shared with other vCPUs.
     */
    public InsertionCounter(final CommandIssuer queue)
    {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        final int status = queue.issue(commands, offset, count, sync);
        if (status == IssueStatus.OK)
        {
            insertions++;
            this.commands += count;
            if (sync)
            {
                syncs++;
            }
        }
        else
        {
            failures++;
        }
        return status;
    }

    /**
     * @return successful insertions.
     */
    public long insertions()
    {
        return insertions;
    }

    /**
     * @return commands inserted by successful insertions, syncs not included.
     */
    public long commands()
    {
        return commands;
    }

    /**
     * @return syncs inserted and completed by successful insertions.
     */
    public long syncs()
    {
        return syncs;
    }

    /**
     * @return insertions that returned a status other than {@link IssueStatus#OK}.
     */
    public long failures()
    {
        return failures;
    }

    @Override
    public String name()
    {
        return queue.name();
    }

    /**
     * Does nothing: the queue belongs to the {@link GuestSmmu}, which closes it.
     */
    @Override
    public void close()
    {
    }
}
