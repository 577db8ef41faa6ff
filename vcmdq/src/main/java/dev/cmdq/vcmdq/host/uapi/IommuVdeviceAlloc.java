package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_vdevice_alloc} (IOMMU_VDEVICE_ALLOC, request 0x3B91; vcmdq-viommu.md §3.5).
 *
 * <pre>
 *   0 size u32 | 4 viommu_id u32 | 8 dev_id u32 | 12 out_vdevice_id u32 | 16 virt_id u64 (vSID)
 * </pre>
 */
public final class IommuVdeviceAlloc extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 24;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code viommu_id}. */
    public static final int VIOMMU_ID_OFFSET = 4;
    /** Byte offset of {@code dev_id}. */
    public static final int DEV_ID_OFFSET = 8;
    /** Byte offset of {@code out_vdevice_id}. */
    public static final int OUT_VDEVICE_ID_OFFSET = 12;
    /** Byte offset of {@code virt_id}. */
    public static final int VIRT_ID_OFFSET = 16;

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
    public IommuVdeviceAlloc sizeField(final int value)
    {
        u32(SIZE_OFFSET, value);
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
    public IommuVdeviceAlloc viommuId(final int value)
    {
        u32(VIOMMU_ID_OFFSET, value);
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
    public IommuVdeviceAlloc devId(final int value)
    {
        u32(DEV_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code out_vdevice_id} (u32).
     */
    public int outVdeviceId()
    {
        return u32(OUT_VDEVICE_ID_OFFSET);
    }

    /**
     * @param value new {@code out_vdevice_id}.
     * @return this.
     */
    public IommuVdeviceAlloc outVdeviceId(final int value)
    {
        u32(OUT_VDEVICE_ID_OFFSET, value);
        return this;
    }

    /**
     * @return {@code virt_id} (u64, the guest StreamID).
     */
    public long virtId()
    {
        return u64(VIRT_ID_OFFSET);
    }

    /**
     * @param value new {@code virt_id}.
     * @return this.
     */
    public IommuVdeviceAlloc virtId(final long value)
    {
        u64(VIRT_ID_OFFSET, value);
        return this;
    }
}
