package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_viommu_tegra241_cmdqv}: the TEGRA241_CMDQV driver data of IOMMU_VIOMMU_ALLOC, output only (vcmdq-viommu.md §3.3).
 *
 * <pre>
 *   0 out_vintf_mmap_offset u64 | 8 out_vintf_mmap_length u64 (64 KiB)
 * </pre>
 */
public final class ViommuTegra241Cmdqv extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 16;
    /** Byte offset of {@code out_vintf_mmap_offset}. */
    public static final int OUT_VINTF_MMAP_OFFSET_OFFSET = 0;
    /** Byte offset of {@code out_vintf_mmap_length}. */
    public static final int OUT_VINTF_MMAP_LENGTH_OFFSET = 8;

    @Override
    public int size()
    {
        return SIZE;
    }

    /**
     * @return {@code out_vintf_mmap_offset} (u64).
     */
    public long outVintfMmapOffset()
    {
        return u64(OUT_VINTF_MMAP_OFFSET_OFFSET);
    }

    /**
     * @param value new {@code out_vintf_mmap_offset}.
     * @return this.
     */
    public ViommuTegra241Cmdqv outVintfMmapOffset(final long value)
    {
        u64(OUT_VINTF_MMAP_OFFSET_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_vintf_mmap_length} (u64).
     */
    public long outVintfMmapLength()
    {
        return u64(OUT_VINTF_MMAP_LENGTH_OFFSET);
    }

    /**
     * @param value new {@code out_vintf_mmap_length}.
     * @return this.
     */
    public ViommuTegra241Cmdqv outVintfMmapLength(final long value)
    {
        u64(OUT_VINTF_MMAP_LENGTH_OFFSET, value);
        return this;
    }
}
