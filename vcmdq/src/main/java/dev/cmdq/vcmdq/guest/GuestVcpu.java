package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;

/**
 * One vCPU of the guest as its SMMU driver sees it: the queue Linux picks for it, and the reusable
 * 64-entry batch Linux keeps on that CPU's stack (here kept per vCPU, so an unmap allocates nothing),
 * with its own encoders and counters.
 *
 * <p>One thread at a time runs a vCPU; different vCPUs run concurrently and meet only in the queue's
 * lock-free insertion.
 */
public final class GuestVcpu
{
    private final int index;
    private final int queue;
    private final InsertionCounter counter;
    private final CommandBatch batch;
    private final GuestInvalidator invalidator = new GuestInvalidator();

    /**
     * @param index     the CPU number.
     * @param queue     index of the queue it uses.
     * @param issuer    that queue's issuer.
     * @param forceSync the SMMU's FORCE_SYNC option.
     */
    GuestVcpu(final int index, final int queue, final CommandIssuer issuer, final boolean forceSync)
    {
        this.index = index;
        this.queue = queue;
        this.counter = new InsertionCounter(issuer);
        this.batch = new CommandBatch(counter, forceSync);
    }

    /**
     * Runs one invalidation request on this vCPU's queue and waits for its syncs.
     *
     * @param request what to invalidate.
     * @return {@link IssueStatus#OK} or the first failing insertion's status.
     * @throws IllegalArgumentException naming the offending field when the request is inconsistent
     *                                  (nothing issued).
     */
    public int unmap(final UnmapRequest request)
    {
        return invalidator.invalidate(request, batch);
    }

    /**
     * @return the CPU number.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return index of the queue this vCPU uses.
     */
    public int queue()
    {
        return queue;
    }

    /**
     * @return successful insertions so far.
     */
    public long insertions()
    {
        return counter.insertions();
    }

    /**
     * @return commands inserted so far, syncs not included.
     */
    public long commands()
    {
        return counter.commands();
    }

    /**
     * @return syncs inserted and completed so far.
     */
    public long syncs()
    {
        return counter.syncs();
    }

    /**
     * @return insertions that failed so far.
     */
    public long failures()
    {
        return counter.failures();
    }
}
