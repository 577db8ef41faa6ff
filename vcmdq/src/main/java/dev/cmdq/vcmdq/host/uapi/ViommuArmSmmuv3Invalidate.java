package dev.cmdq.vcmdq.host.uapi;

/**
 * {@code struct iommu_viommu_arm_smmuv3_invalidate}: one IOMMU_HWPT_INVALIDATE entry, a raw SMMU command (vcmdq-viommu.md §3.7).
 *
 * <pre>
 *   0 cmd[0] u64 | 8 cmd[1] u64
 * </pre>
 */
public final class ViommuArmSmmuv3Invalidate extends UapiStruct
{
    /** Size in bytes. */
    public static final int SIZE = 16;
    /** Byte offset of {@code cmd0}. */
    public static final int CMD0_OFFSET = 0;
    /** Byte offset of {@code cmd1}. */
    public static final int CMD1_OFFSET = 8;

    @Override
    public int size()
    {
        return SIZE;
    }

    /**
     * @return {@code cmd0} (u64).
     */
    public long cmd0()
    {
        return u64(CMD0_OFFSET);
    }

    /**
     * @param value new {@code cmd0}.
     * @return this.
     */
    public ViommuArmSmmuv3Invalidate cmd0(final long value)
    {
        u64(CMD0_OFFSET, value);
        return this;
    }

    /**
     * @return {@code cmd1} (u64).
     */
    public long cmd1()
    {
        return u64(CMD1_OFFSET);
    }

    /**
     * @param value new {@code cmd1}.
     * @return this.
     */
    public ViommuArmSmmuv3Invalidate cmd1(final long value)
    {
        u64(CMD1_OFFSET, value);
        return this;
    }
}
