package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Linux's range invalidation, {@code __arm_smmu_tlb_inv_range} (linux-unmap-sequences.md §3): turns
 * (iova, size, granule, leaf, page size, RIL) into TLBI_NH_VA commands added to a batch, then submits
 * the batch with its sync.
 *
 * <pre>
 *  without RIL (§3.1):  one command per granule: ADDR = iova, iova + granule, ... ; TG = TTL = NUM = SCALE = 0
 *
 *  with RIL (§3.2):     t = log2(PG)  TG = (t - 10) / 2      pages = size &gt;&gt; t
 *                       leaf: TTL = 4 - (log2(granule) - 3) / (t - 3)
 *                       else: TTL = 0, and pages += 1 when pages mod 32 == 1   (no NUM = SCALE = TTL = 0 command)
 *                       while pages != 0:
 *                          scale = lowest set bit of pages     num = (pages &gt;&gt; scale) &amp; 31
 *                          emit SCALE = scale, NUM = num - 1, ADDR = a
 *                          pages -= num &lt;&lt; scale               a += num &lt;&lt; (scale + t)
 * </pre>
 *
 * <p>The kernel loops while {@code a < iova + size}; this loops on what is left (bytes, or pages on the
 * RIL path), which gives the same commands for every input {@link UnmapRequest#check()} accepts and
 * cannot overflow when the range ends at 2^64. A size of 0 emits nothing, not even a sync.
 *
 * <p>Every command is built by the smmu-commands {@link TlbiEncoder} into one 16-byte off-heap slot
 * and added to the batch as two 8-byte moves. Not thread-safe (one per vCPU); allocation-free.
 */
public final class TlbInvRange
{
    /** {@code CMDQ_TLBI_RANGE_NUM_MAX}: NUM is 5 bits, so one command covers at most 31 &lt;&lt; SCALE pages. */
    static final int RANGE_NUM_MAX = 31;

    private final TlbiEncoder tlbi = new TlbiEncoder();
    private final UnsafeBuffer command =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(RingMemory.ENTRY_BYTES, RingMemory.ENTRY_BYTES));

    /**
     * Adds the request's TLBIs to {@code batch} and submits it with a sync. The request is not checked
     * here ({@link GuestInvalidator} checks it first).
     *
     * @param batch   the vCPU's batch, empty.
     * @param request the range, granule, leaf flag, page size, RIL feature, ASID and VMID.
     * @return {@link IssueStatus#OK}, or the status of the first flush or submit that failed (the
     *         remaining commands are then not added).
     */
    public int invalidate(final CommandBatch batch, final UnmapRequest request)
    {
        final long size = request.size();
        if (size == 0)
        {
            return IssueStatus.OK;
        }
        final int status = request.rangeInvalidation() ? addRange(batch, request) : addPerGranule(batch, request);
        return status == IssueStatus.OK ? batch.submit() : status;
    }

    private int addPerGranule(final CommandBatch batch, final UnmapRequest request)
    {
        final long granule = request.granule();
        long address = request.iova();
        // ceil(size / granule) commands: 'left' may go below zero on the last step of a partial granule.
        for (long left = request.size(); left > 0; left -= granule, address += granule)
        {
            final int status = add(batch, request, address, 0, 0, 0, 0);
            if (status != IssueStatus.OK)
            {
                return status;
            }
        }
        return IssueStatus.OK;
    }

    private int addRange(final CommandBatch batch, final UnmapRequest request)
    {
        final int pageShift = Long.numberOfTrailingZeros(request.pageSize());
        final int tg = (pageShift - 10) / 2;
        long pages = request.size() >>> pageShift;
        final int ttl;
        if (request.leaf())
        {
            // The level of the granule; a granule above the largest block gives a negative value, which
            // the 2-bit field masks as the kernel's u8 and FIELD_PREP do.
            ttl = 4 - (63 - Long.numberOfLeadingZeros(request.granule()) - 3) / (pageShift - 3);
        }
        else
        {
            ttl = 0;
            if ((pages & RANGE_NUM_MAX) == 1)
            {
                pages++;
            }
        }
        long address = request.iova();
        while (pages != 0)
        {
            final int scale = Long.numberOfTrailingZeros(pages);
            final long num = (pages >>> scale) & RANGE_NUM_MAX;
            final int status = add(batch, request, address, (int)num - 1, scale, tg, ttl);
            if (status != IssueStatus.OK)
            {
                return status;
            }
            pages -= num << scale;
            address += num << (scale + pageShift);
        }
        return IssueStatus.OK;
    }

    private int add(
        final CommandBatch batch,
        final UnmapRequest request,
        final long address,
        final int num,
        final int scale,
        final int tg,
        final int ttl)
    {
        tlbi.wrap(command, 0, Opcode.TLBI_NH_VA)
            .vmid(request.vmid())
            .asid(request.asid())
            .leaf(request.leaf())
            .num(num)
            .scale(scale)
            .tg(tg)
            .ttl(ttl)
            .addr(address);
        return batch.add(command, 0);
    }
}
