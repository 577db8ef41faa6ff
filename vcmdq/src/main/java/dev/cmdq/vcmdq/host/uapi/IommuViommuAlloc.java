package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_viommu_alloc} (IOMMU_VIOMMU_ALLOC, request 0x3B90; vcmdq-viommu.md §3.3).
 *
 * <pre>
 *   0 size u32 | 4 flags u32 (0) | 8 type u32 | 12 dev_id u32 | 16 hwpt_id u32 | 20 out_viommu_id u32
 *  24 data_len u32 | 28 __reserved u32 | 32 data_uptr u64
 * </pre>
 */
public final class IommuViommuAlloc extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 40;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 4;
    /** Byte offset of {@code type}. */
    public static final int TYPE_OFFSET = 8;
    /** Byte offset of {@code dev_id}. */
    public static final int DEV_ID_OFFSET = 12;
    /** Byte offset of {@code hwpt_id}. */
    public static final int HWPT_ID_OFFSET = 16;
    /** Byte offset of {@code out_viommu_id}. */
    public static final int OUT_VIOMMU_ID_OFFSET = 20;
    /** Byte offset of {@code data_len}. */
    public static final int DATA_LEN_OFFSET = 24;
    /** Byte offset of {@code reserved}. */
    public static final int RESERVED_OFFSET = 28;
    /** Byte offset of {@code data_uptr}. */
    public static final int DATA_UPTR_OFFSET = 32;

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
    public IommuViommuAlloc sizeField(final int value)
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
    public IommuViommuAlloc flags(final int value)
    {
        u32(FLAGS_OFFSET, value);
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
    public IommuViommuAlloc type(final int value)
    {
        u32(TYPE_OFFSET, value);
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
    public IommuViommuAlloc devId(final int value)
    {
        u32(DEV_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code hwpt_id} (u32, a NEST_PARENT HWPT).
     */
    public int hwptId()
    {
        return u32(HWPT_ID_OFFSET);
    }

    /**
     * @param value new {@code hwpt_id}.
     * @return this.
     */
    public IommuViommuAlloc hwptId(final int value)
    {
        u32(HWPT_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_viommu_id} (u32).
     */
    public int outViommuId()
    {
        return u32(OUT_VIOMMU_ID_OFFSET);
    }

    /**
     * @param value new {@code out_viommu_id}.
     * @return this.
     */
    public IommuViommuAlloc outViommuId(final int value)
    {
        u32(OUT_VIOMMU_ID_OFFSET, value);
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
    public IommuViommuAlloc dataLen(final int value)
    {
        u32(DATA_LEN_OFFSET, value);
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
    public IommuViommuAlloc reserved(final int value)
    {
        u32(RESERVED_OFFSET, value);
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
    public IommuViommuAlloc dataUptr(final long value)
    {
        u64(DATA_UPTR_OFFSET, value);
        return this;
    }
}
