package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_veventq_alloc} (IOMMU_VEVENTQ_ALLOC, request 0x3B93; vcmdq-viommu.md §3.8).
 *
 * <pre>
 *   0 size u32 | 4 flags u32 (0) | 8 viommu_id u32 | 12 type u32 | 16 veventq_depth u32
 *  20 out_veventq_id u32 | 24 out_veventq_fd u32 | 28 __reserved u32
 * </pre>
 */
public final class IommuVeventqAlloc extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 32;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 4;
    /** Byte offset of {@code viommu_id}. */
    public static final int VIOMMU_ID_OFFSET = 8;
    /** Byte offset of {@code type}. */
    public static final int TYPE_OFFSET = 12;
    /** Byte offset of {@code veventq_depth}. */
    public static final int VEVENTQ_DEPTH_OFFSET = 16;
    /** Byte offset of {@code out_veventq_id}. */
    public static final int OUT_VEVENTQ_ID_OFFSET = 20;
    /** Byte offset of {@code out_veventq_fd}. */
    public static final int OUT_VEVENTQ_FD_OFFSET = 24;
    /** Byte offset of {@code reserved}. */
    public static final int RESERVED_OFFSET = 28;

    @Override
    public int size()
    {
        return SIZE;
    }

    /**
     * @return {@code size} (u32).
     */
    public int sizeField()
    {
        return u32(SIZE_OFFSET);
    }

    /**
     * @param value new {@code size}.
     * @return this.
     */
    public IommuVeventqAlloc sizeField(final int value)
    {
        u32(SIZE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code flags} (u32, must be 0).
     */
    public int flags()
    {
        return u32(FLAGS_OFFSET);
    }

    /**
     * @param value new {@code flags}.
     * @return this.
     */
    public IommuVeventqAlloc flags(final int value)
    {
        u32(FLAGS_OFFSET, value);
        return this;
    }

    /**
     * @return {@code viommu_id} (u32).
     */
    public int viommuId()
    {
        return u32(VIOMMU_ID_OFFSET);
    }

    /**
     * @param value new {@code viommu_id}.
     * @return this.
     */
    public IommuVeventqAlloc viommuId(final int value)
    {
        u32(VIOMMU_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code type} (u32, 1 ARM_SMMUV3, 2 TEGRA241_CMDQV).
     */
    public int type()
    {
        return u32(TYPE_OFFSET);
    }

    /**
     * @param value new {@code type}.
     * @return this.
     */
    public IommuVeventqAlloc type(final int value)
    {
        u32(TYPE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code veventq_depth} (u32).
     */
    public int veventqDepth()
    {
        return u32(VEVENTQ_DEPTH_OFFSET);
    }

    /**
     * @param value new {@code veventq_depth}.
     * @return this.
     */
    public IommuVeventqAlloc veventqDepth(final int value)
    {
        u32(VEVENTQ_DEPTH_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_veventq_id} (u32).
     */
    public int outVeventqId()
    {
        return u32(OUT_VEVENTQ_ID_OFFSET);
    }

    /**
     * @param value new {@code out_veventq_id}.
     * @return this.
     */
    public IommuVeventqAlloc outVeventqId(final int value)
    {
        u32(OUT_VEVENTQ_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_veventq_fd} (u32).
     */
    public int outVeventqFd()
    {
        return u32(OUT_VEVENTQ_FD_OFFSET);
    }

    /**
     * @param value new {@code out_veventq_fd}.
     * @return this.
     */
    public IommuVeventqAlloc outVeventqFd(final int value)
    {
        u32(OUT_VEVENTQ_FD_OFFSET, value);
        return this;
    }

    /**
     * @return {@code reserved} (u32).
     */
    public int reserved()
    {
        return u32(RESERVED_OFFSET);
    }

    /**
     * @param value new {@code reserved}.
     * @return this.
     */
    public IommuVeventqAlloc reserved(final int value)
    {
        u32(RESERVED_OFFSET, value);
        return this;
    }
}
