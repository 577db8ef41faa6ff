package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;

/**
 * The guest driver's invalidation entry points (linux-unmap-sequences.md §2-§6): runs one
 * {@link UnmapRequest} as the sequence of sync'd groups Linux issues for it, through one vCPU's batch.
 *
 * <pre>
 *  tlb_inv_range_asid    TlbInvRange                                  (TLBIs ... + SYNC)
 *  tlb_inv_range_domain  TlbInvRange, then if ats: AtcInvRange(iova, size)   (two groups, TLB first)
 *  atc_inv               AtcInvRange(iova, size)                      (ATC_INV + SYNC)
 *  tlb_inv_context       TlbInvAsid (1+S), then if ats: AtcInvRange(0, 0)    ("everything")
 * </pre>
 *
 * The TLB group is always submitted and completed before the ATC group: a device must not re-fetch a
 * stale translation from the SMMU after its ATC was cleared.
 *
 * <p><b>Failures.</b> The request is checked before anything is issued ({@link UnmapRequest#check()}).
 * When an insertion or its completion wait fails, the remaining steps are not issued (Linux ignores the
 * status and goes on to the ATC step; here the caller gets the status and can repeat the whole request,
 * which is idempotent) and the batch is emptied, so the next request starts as Linux's next on-stack
 * batch would. Not thread-safe: one per vCPU; allocation-free.
 */
public final class GuestInvalidator
{
    private final TlbInvRange range = new TlbInvRange();
    private final AtcInvRange atc = new AtcInvRange();
    private final TlbInvAsid asid = new TlbInvAsid();

    /**
     * Runs one request.
     *
     * @param request what to invalidate; checked first.
     * @param batch   the vCPU's batch, bound to its queue; empty on return.
     * @return {@link IssueStatus#OK} or the first failing insertion's status.
     * @throws IllegalArgumentException naming the offending field when the request is inconsistent
     *                                  (nothing issued).
     */
    public int invalidate(final UnmapRequest request, final CommandBatch batch)
    {
        request.check();
        final int status = run(request, batch);
        if (status != IssueStatus.OK)
        {
            batch.clear();
        }
        return status;
    }

    private int run(final UnmapRequest request, final CommandBatch batch)
    {
        switch (request.op())
        {
            case TLB_INV_RANGE_ASID:
                return range.invalidate(batch, request);
            case TLB_INV_RANGE_DOMAIN:
            {
                final int status = range.invalidate(batch, request);
                if (status != IssueStatus.OK || !request.ats())
                {
                    return status;
                }
                // The ATC step gets the caller's iova/size, not the RIL path's one-page widening.
                return atc.invalidate(batch, request.sid(), request.ssid(), request.iova(), request.size());
            }
            case ATC_INV:
                return atc.invalidate(batch, request.sid(), request.ssid(), request.iova(), request.size());
            case TLB_INV_CONTEXT:
            {
                final int status = asid.invalidate(batch, request.asid(), request.vmid());
                if (status != IssueStatus.OK || !request.ats())
                {
                    return status;
                }
                return atc.invalidate(batch, request.sid(), request.ssid(), 0, 0);
            }
            default:
                throw new IllegalStateException("op " + request.op() + " has no sequence");
        }
    }
}
