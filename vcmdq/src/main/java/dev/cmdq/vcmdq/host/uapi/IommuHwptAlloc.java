package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_hwpt_alloc} (IOMMU_HWPT_ALLOC, request 0x3B89; vcmdq-viommu.md §3.2).
 *
 * <pre>
 *   0 size u32 | 4 flags u32 | 8 dev_id u32 | 12 pt_id u32 | 16 out_hwpt_id u32 | 20 __reserved u32
 *  24 data_type u32 | 28 data_len u32 | 32 data_uptr u64 | 40 fault_id u32 | 44 __reserved2 u32
 * </pre>
 */
public final class IommuHwptAlloc extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 48;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 4;
    /** Byte offset of {@code dev_id}. */
    public static final int DEV_ID_OFFSET = 8;
    /** Byte offset of {@code pt_id}. */
    public static final int PT_ID_OFFSET = 12;
    /** Byte offset of {@code out_hwpt_id}. */
    public static final int OUT_HWPT_ID_OFFSET = 16;
    /** Byte offset of {@code reserved}. */
    public static final int RESERVED_OFFSET = 20;
    /** Byte offset of {@code data_type}. */
    public static final int DATA_TYPE_OFFSET = 24;
    /** Byte offset of {@code data_len}. */
    public static final int DATA_LEN_OFFSET = 28;
    /** Byte offset of {@code data_uptr}. */
    public static final int DATA_UPTR_OFFSET = 32;
    /** Byte offset of {@code fault_id}. */
    public static final int FAULT_ID_OFFSET = 40;
    /** Byte offset of {@code reserved2}. */
    public static final int RESERVED2_OFFSET = 44;

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
    public IommuHwptAlloc sizeField(final int value)
    {
        u32(SIZE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code flags} (u32, NEST_PARENT = bit 0).
     */
    public int flags()
    {
        return u32(FLAGS_OFFSET);
    }

    /**
     * @param value new {@code flags}.
     * @return this.
     */
    public IommuHwptAlloc flags(final int value)
    {
        u32(FLAGS_OFFSET, value);
        return this;
    }

    /**
     * @return {@code dev_id} (u32).
     */
    public int devId()
    {
        return u32(DEV_ID_OFFSET);
    }

    /**
     * @param value new {@code dev_id}.
     * @return this.
     */
    public IommuHwptAlloc devId(final int value)
    {
        u32(DEV_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code pt_id} (u32, IOAS, parent HWPT or vIOMMU).
     */
    public int ptId()
    {
        return u32(PT_ID_OFFSET);
    }

    /**
     * @param value new {@code pt_id}.
     * @return this.
     */
    public IommuHwptAlloc ptId(final int value)
    {
        u32(PT_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_hwpt_id} (u32).
     */
    public int outHwptId()
    {
        return u32(OUT_HWPT_ID_OFFSET);
    }

    /**
     * @param value new {@code out_hwpt_id}.
     * @return this.
     */
    public IommuHwptAlloc outHwptId(final int value)
    {
        u32(OUT_HWPT_ID_OFFSET, value);
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
    public IommuHwptAlloc reserved(final int value)
    {
        u32(RESERVED_OFFSET, value);
        return this;
    }

    /**
     * @return {@code data_type} (u32).
     */
    public int dataType()
    {
        return u32(DATA_TYPE_OFFSET);
    }

    /**
     * @param value new {@code data_type}.
     * @return this.
     */
    public IommuHwptAlloc dataType(final int value)
    {
        u32(DATA_TYPE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code data_len} (u32).
     */
    public int dataLen()
    {
        return u32(DATA_LEN_OFFSET);
    }

    /**
     * @param value new {@code data_len}.
     * @return this.
     */
    public IommuHwptAlloc dataLen(final int value)
    {
        u32(DATA_LEN_OFFSET, value);
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
    public IommuHwptAlloc dataUptr(final long value)
    {
        u64(DATA_UPTR_OFFSET, value);
        return this;
    }

    /**
     * @return {@code fault_id} (u32).
     */
    public int faultId()
    {
        return u32(FAULT_ID_OFFSET);
    }

    /**
     * @param value new {@code fault_id}.
     * @return this.
     */
    public IommuHwptAlloc faultId(final int value)
    {
        u32(FAULT_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code reserved2} (u32).
     */
    public int reserved2()
    {
        return u32(RESERVED2_OFFSET);
    }

    /**
     * @param value new {@code reserved2}.
     * @return this.
     */
    public IommuHwptAlloc reserved2(final int value)
    {
        u32(RESERVED2_OFFSET, value);
        return this;
    }
}
