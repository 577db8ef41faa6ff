package dev.cmdq.bench.scenario;

import java.util.List;

/**
 * The published guest DMA-unmap latencies (vcmdq-viommu.md §5.2: cover letter of "[PATCH v9 00/29]
 * iommufd: Add vIOMMU infrastructure (Part-4 HW QUEUE)", NVIDIA Grace, {@code dma_map_benchmark -g
 * granule -t threads}, trapped = {@code bypass_vcmdq=1}), typed from the document. Microseconds.
 */
public final class PublishedTable
{
    /**
     * One published row.
     *
     * @param bufferBytes the granule in bytes.
     * @param threads     guest threads.
     * @param trappedUs   trapped latency, µs.
     * @param vcmdqUs     VCMDQ latency, µs.
     */
    public record Row(long bufferBytes, int threads, double trappedUs, double vcmdqUs)
    {
        /**
         * @return trapped over VCMDQ.
         */
        public double speedUp()
        {
            return trappedUs / vcmdqUs;
        }
    }

    /** The ten rows, in the document's order. */
    public static final List<Row> ROWS = List.of(
        new Row(0x1000, 1, 35.7, 5.3),
        new Row(0x4000, 1, 41.8, 6.8),
        new Row(0x1_0000, 1, 68.9, 9.9),
        new Row(0x2_0000, 1, 109.0, 12.6),
        new Row(0x4_0000, 1, 187.1, 18.0),
        new Row(0x1000, 2, 96.9, 6.8),
        new Row(0x4000, 2, 97.8, 7.5),
        new Row(0x1_0000, 2, 151.5, 10.7),
        new Row(0x2_0000, 2, 257.8, 12.7),
        new Row(0x4_0000, 2, 443.0, 17.9));

    private PublishedTable()
    {
    }

    /**
     * @param bufferBytes a granule in bytes.
     * @param threads     a thread count.
     * @return the published row, or null when the table has none.
     */
    public static Row find(final long bufferBytes, final int threads)
    {
        for (final Row row : ROWS)
        {
            if (row.bufferBytes() == bufferBytes && row.threads() == threads)
            {
                return row;
            }
        }
        return null;
    }
}
