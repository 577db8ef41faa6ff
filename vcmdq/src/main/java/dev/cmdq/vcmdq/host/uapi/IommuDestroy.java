package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_destroy} (IOMMU_DESTROY, request 0x3B80; vcmdq-viommu.md §3.9): destroys any object by ID.
 *
 * <pre>
 *   0 size u32 | 4 id u32
 * </pre>
 */
public final class IommuDestroy extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 8;
    /** Byte offset of {@code size}. */
    public static final int SIZE_OFFSET = 0;
    /** Byte offset of {@code id}. */
    public static final int ID_OFFSET = 4;

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
    public IommuDestroy sizeField(final int value)
    {
        u32(SIZE_OFFSET, value);
        return this;
    }

    /**
     * @return {@code id} (u32).
     */
    public int id()
    {
        return u32(ID_OFFSET);
    }

    /**
     * @param value new {@code id}.
     * @return this.
     */
    public IommuDestroy id(final int value)
    {
        u32(ID_OFFSET, value);
        return this;
    }
}
