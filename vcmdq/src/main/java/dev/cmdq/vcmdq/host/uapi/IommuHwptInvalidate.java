package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_hwpt_invalidate} (IOMMU_HWPT_INVALIDATE, request 0x3B8D; vcmdq-viommu.md §3.7).
 *
 * <pre>
 *   0 size u32 | 4 hwpt_id u32 | 8 data_uptr u64 | 16 data_type u32 | 20 entry_len u32
 *  24 entry_num u32 (in: count, out: handled) | 28 __reserved u32
 * </pre>
 */
public final class IommuHwptInvalidate extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 32;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code hwpt_id}. */
    public static final int HWPT_ID_OFFSET = 4;
    /** Byte offset of {@code data_uptr}. */
    public static final int DATA_UPTR_OFFSET = 8;
    /** Byte offset of {@code data_type}. */
    public static final int DATA_TYPE_OFFSET = 16;
    /** Byte offset of {@code entry_len}. */
    public static final int ENTRY_LEN_OFFSET = 20;
    /** Byte offset of {@code entry_num}. */
    public static final int ENTRY_NUM_OFFSET = 24;
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
    public IommuHwptInvalidate sizeField(final int value)
    {
        u32(SIZE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code hwpt_id} (u32, nested HWPT or vIOMMU ID).
     */
    public int hwptId()
    {
        return u32(HWPT_ID_OFFSET);
    }

    /**
     * @param value new {@code hwpt_id}.
     * @return this.
     */
    public IommuHwptInvalidate hwptId(final int value)
    {
        u32(HWPT_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code data_uptr} (u64).
     */
    public long dataUptr()
    {
        return u64(DATA_UPTR_OFFSET);
    }

    /**
     * @param value new {@code data_uptr}.
     * @return this.
     */
    public IommuHwptInvalidate dataUptr(final long value)
    {
        u64(DATA_UPTR_OFFSET, value);
        return this;
    }

    /**
     * @return {@code data_type} (u32, 1 ARM_SMMUV3).
     */
    public int dataType()
    {
        return u32(DATA_TYPE_OFFSET);
    }

    /**
     * @param value new {@code data_type}.
     * @return this.
     */
    public IommuHwptInvalidate dataType(final int value)
    {
        u32(DATA_TYPE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code entry_len} (u32, 16 for SMMUv3).
     */
    public int entryLen()
    {
        return u32(ENTRY_LEN_OFFSET);
    }

    /**
     * @param value new {@code entry_len}.
     * @return this.
     */
    public IommuHwptInvalidate entryLen(final int value)
    {
        u32(ENTRY_LEN_OFFSET, value);
        return this;
    }

    /**
     * @return {@code entry_num} (u32, in: count, out: handled).
     */
    public int entryNum()
    {
        return u32(ENTRY_NUM_OFFSET);
    }

    /**
     * @param value new {@code entry_num}.
     * @return this.
     */
    public IommuHwptInvalidate entryNum(final int value)
    {
        u32(ENTRY_NUM_OFFSET, value);
        return this;
    }

    /**
     * @return {@code reserved} (u32, must be 0).
     */
    public int reserved()
    {
        return u32(RESERVED_OFFSET);
    }

    /**
     * @param value new {@code reserved}.
     * @return this.
     */
    public IommuHwptInvalidate reserved(final int value)
    {
        u32(RESERVED_OFFSET, value);
        return this;
    }
}
