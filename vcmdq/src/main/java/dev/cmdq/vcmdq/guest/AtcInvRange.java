package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.AtcInvLayout;
import dev.cmdq.smmu.codec.AtcInvEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Linux's ATC invalidation of one device, {@code arm_smmu_atc_inv_to_cmd} plus the batch of
 * {@code arm_smmu_atc_inv_master} (linux-unmap-sequences.md §5): one ATC_INV per StreamID of the
 * device (this model gives a device one StreamID), then a sync.
 *
 * <pre>
 *  size == 0 ("everything"):  SIZE = 52, ADDR = 0
 *  otherwise, in 4 KiB pages whatever the page-table granule:
 *      first = iova &gt;&gt; 12      last = (iova + size - 1) &gt;&gt; 12
 *      s = bit length of (first ^ last)
 *      ADDR = (first with its low s bits cleared) &lt;&lt; 12      SIZE = s
 *  SSV = (ssid != 0), Global = 0
 * </pre>
 *
 * The span is the smallest naturally aligned power-of-two block of pages holding the range, so it may
 * be much larger than the range. Not thread-safe (one per vCPU); allocation-free.
 */
public final class AtcInvRange
{
    /** ATS invalidations are in 4 KiB units ({@code inval_grain_shift}), whatever the page size. */
    static final int GRAIN_SHIFT = 12;

    private final AtcInvEncoder atc = new AtcInvEncoder();
    private final UnsafeBuffer command =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(RingMemory.ENTRY_BYTES, RingMemory.ENTRY_BYTES));

    /**
     * @param iova first byte.
     * @param size length in bytes, 0 = everything.
     * @return the ATC_INV SIZE field: log2 of the span in 4 KiB pages ({@value AtcInvLayout#SIZE_ALL} for
     *         everything).
     */
    public static int spanLog2(final long iova, final long size)
    {
        if (size == 0)
        {
            return AtcInvLayout.SIZE_ALL;
        }
        final long first = iova >>> GRAIN_SHIFT;
        final long last = (iova + size - 1) >>> GRAIN_SHIFT;
        return 64 - Long.numberOfLeadingZeros(first ^ last);
    }

    /**
     * @param iova first byte.
     * @param size length in bytes, 0 = everything.
     * @return the ATC_INV ADDR: the first byte of the aligned span (0 for everything).
     */
    public static long spanAddress(final long iova, final long size)
    {
        if (size == 0)
        {
            return 0;
        }
        final long first = iova >>> GRAIN_SHIFT;
        final long spanMask = (1L << spanLog2(iova, size)) - 1;
        return (first & ~spanMask) << GRAIN_SHIFT;
    }

    /**
     * Adds the device's ATC_INV to {@code batch} and submits it with a sync.
     *
     * @param batch the vCPU's batch, empty.
     * @param sid   the device's StreamID.
     * @param ssid  the attachment SSID, 0 = none (SSV follows it).
     * @param iova  first byte.
     * @param size  length in bytes, 0 = everything.
     * @return {@link IssueStatus#OK} or the failed add's or submit's status.
     */
    public int invalidate(final CommandBatch batch, final long sid, final int ssid, final long iova, final long size)
    {
        atc.wrap(command, 0)
            .sid(sid)
            .ssid(ssid)
            .ssv(ssid != 0)
            .global(false)
            .size(spanLog2(iova, size))
            .addr(spanAddress(iova, size));
        final int status = batch.add(command, 0);
        return status == IssueStatus.OK ? batch.submit() : status;
    }
}
