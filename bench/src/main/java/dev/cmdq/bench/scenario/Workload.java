package dev.cmdq.bench.scenario;

/**
 * One row of the experiment: every iteration, each of {@code threads} guest threads DMA-unmaps one
 * buffer of {@code bufferBytes} (the published table's "granule", {@code dma_map_benchmark -g}).
 *
 * <p>What the unmap asks of the SMMU driver (linux-unmap-sequences.md §2 item 1, strict mode): the
 * buffer was mapped with 4 KiB pages (it is at most 256 KiB, below any block size), so the page-table
 * code gathers {@code bufferBytes / 4 KiB} leaf entries and the iotlb sync runs
 * {@code arm_smmu_tlb_inv_range_domain(iova, bufferBytes, granule 4 KiB, leaf)}, with the ATC step when
 * the device uses ATS. IOVAs are size-aligned, as the IOVA allocator's power-of-two rounding gives.
 *
 * @param bufferBytes       bytes unmapped per iteration and thread: a power of two, 4 KiB .. 1 GiB.
 * @param threads           guest threads (= vCPUs), 1 .. 64.
 * @param rangeInvalidation the SMMU advertises RIL (one range TLBI instead of one per page).
 * @param ats               the device uses ATS (an ATC_INV step follows the TLB step).
 */
public record Workload(long bufferBytes, int threads, boolean rangeInvalidation, boolean ats)
{
    /** The guest's page size: an assumption about the published experiment. */
    public static final long PAGE_SIZE = 0x1000;
    /** The granules of the published table. */
    public static final long[] PUBLISHED_GRANULES = {0x1000, 0x4000, 0x1_0000, 0x2_0000, 0x4_0000};
    /** The thread counts of the published table. */
    public static final int[] PUBLISHED_THREADS = {1, 2};

    /**
     * @throws IllegalArgumentException naming the field out of range.
     */
    public Workload
    {
        if (bufferBytes < PAGE_SIZE || bufferBytes > (1L << 30) || Long.bitCount(bufferBytes) != 1)
        {
            throw new IllegalArgumentException("bufferBytes=" + bufferBytes + " is not a power of two in 4096..2^30");
        }
        if (threads < 1 || threads > 64)
        {
            throw new IllegalArgumentException("threads=" + threads + " is outside 1..64");
        }
    }

    /**
     * @return the granule as the published table writes it ("4K", "256K").
     */
    public String granuleLabel()
    {
        return bufferBytes >= (1 << 20) ? (bufferBytes >> 20) + "M" : (bufferBytes >> 10) + "K";
    }

    /**
     * @return the 4 KiB pages of one buffer.
     */
    public long pages()
    {
        return bufferBytes / PAGE_SIZE;
    }
}
