package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_hw_queue_alloc} (IOMMU_HW_QUEUE_ALLOC, request 0x3B94; vcmdq-viommu.md §3.6).
 *
 * <pre>
 *   0 size u32 | 4 flags u32 (0) | 8 viommu_id u32 | 12 type u32 | 16 index u32 | 20 out_hw_queue_id u32
 *  24 nesting_parent_iova u64 | 32 length u64
 * </pre>
 */
public final class IommuHwQueueAlloc extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 40;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 4;
    /** Byte offset of {@code viommu_id}. */
    public static final int VIOMMU_ID_OFFSET = 8;
    /** Byte offset of {@code type}. */
    public static final int TYPE_OFFSET = 12;
    /** Byte offset of {@code index}. */
    public static final int INDEX_OFFSET = 16;
    /** Byte offset of {@code out_hw_queue_id}. */
    public static final int OUT_HW_QUEUE_ID_OFFSET = 20;
    /** Byte offset of {@code nesting_parent_iova}. */
    public static final int NESTING_PARENT_IOVA_OFFSET = 24;
    /** Byte offset of {@code length}. */
    public static final int LENGTH_OFFSET = 32;

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
    public IommuHwQueueAlloc sizeField(final int value)
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
    public IommuHwQueueAlloc flags(final int value)
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
    public IommuHwQueueAlloc viommuId(final int value)
    {
        u32(VIOMMU_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code type} (u32, 1 TEGRA241_CMDQV).
     */
    public int type()
    {
        return u32(TYPE_OFFSET);
    }

    /**
     * @param value new {@code type}.
     * @return this.
     */
    public IommuHwQueueAlloc type(final int value)
    {
        u32(TYPE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code index} (u32, LVCMDQ index).
     */
    public int index()
    {
        return u32(INDEX_OFFSET);
    }

    /**
     * @param value new {@code index}.
     * @return this.
     */
    public IommuHwQueueAlloc index(final int value)
    {
        u32(INDEX_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_hw_queue_id} (u32).
     */
    public int outHwQueueId()
    {
        return u32(OUT_HW_QUEUE_ID_OFFSET);
    }

    /**
     * @param value new {@code out_hw_queue_id}.
     * @return this.
     */
    public IommuHwQueueAlloc outHwQueueId(final int value)
    {
        u32(OUT_HW_QUEUE_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code nesting_parent_iova} (u64, guest-physical base).
     */
    public long nestingParentIova()
    {
        return u64(NESTING_PARENT_IOVA_OFFSET);
    }

    /**
     * @param value new {@code nesting_parent_iova}.
     * @return this.
     */
    public IommuHwQueueAlloc nestingParentIova(final long value)
    {
        u64(NESTING_PARENT_IOVA_OFFSET, value);
        return this;
    }

    /**
     * @return {@code length} (u64, bytes).
     */
    public long length()
    {
        return u64(LENGTH_OFFSET);
    }

    /**
     * @param value new {@code length}.
     * @return this.
     */
    public IommuHwQueueAlloc length(final long value)
    {
        u64(LENGTH_OFFSET, value);
        return this;
    }
}
