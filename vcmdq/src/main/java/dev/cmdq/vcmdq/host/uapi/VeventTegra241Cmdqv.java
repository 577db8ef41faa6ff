package dev.cmdq.vcmdq.host.uapi;

/**
 * The TEGRA241_CMDQV vEVENTQ payload: the VINTF's raw 128-bit LVCMDQ_ERR_MAP (vcmdq-viommu.md §3.8).
 *
 * <pre>
 *   0 lvcmdq_err_map[0] u64 | 8 lvcmdq_err_map[1] u64
 * </pre>
 */
public final class VeventTegra241Cmdqv extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 16;
    /** Byte offset of {@code lvcmdq_err_map0}. */
    public static final int LVCMDQ_ERR_MAP0_OFFSET = 0;
    /** Byte offset of {@code lvcmdq_err_map1}. */
    public static final int LVCMDQ_ERR_MAP1_OFFSET = 8;

    @Override
    public int size()
    {
        return SIZE;
    }

    /**
     * @return {@code lvcmdq_err_map0} (u64).
     */
    public long lvcmdqErrMap0()
    {
        return u64(LVCMDQ_ERR_MAP0_OFFSET);
    }

    /**
     * @param value new {@code lvcmdq_err_map0}.
     * @return this.
     */
    public VeventTegra241Cmdqv lvcmdqErrMap0(final long value)
    {
        u64(LVCMDQ_ERR_MAP0_OFFSET, value);
        return this;
    }

    /**
     * @return {@code lvcmdq_err_map1} (u64).
     */
    public long lvcmdqErrMap1()
    {
        return u64(LVCMDQ_ERR_MAP1_OFFSET);
    }

    /**
     * @param value new {@code lvcmdq_err_map1}.
     * @return this.
     */
    public VeventTegra241Cmdqv lvcmdqErrMap1(final long value)
    {
        u64(LVCMDQ_ERR_MAP1_OFFSET, value);
        return this;
    }
}
