package dev.cmdq.vcmdq.host;

/**
 * {@code enum iommu_viommu_type} (vcmdq-viommu.md §3): what a vIOMMU is, and so how wide its vSIDs are.
 */
public enum ViommuType
{
    /** Plain SMMUv3 nesting: the trap path only; vSIDs are SMMU StreamIDs, up to 32 bits. */
    ARM_SMMUV3(1, SidTable.SMMU_SID_BITS),
    /** SMMUv3 with a Tegra241 CMDQV VINTF: vSIDs must fit SID_MATCH's 20-bit field (§1.8). */
    TEGRA241_CMDQV(2, SidTable.CMDQV_SID_BITS);

    private final int uapiValue;
    private final int sidBits;

    ViommuType(final int uapiValue, final int sidBits)
    {
        this.uapiValue = uapiValue;
        this.sidBits = sidBits;
    }

    /**
     * @return the value in {@code iommu_viommu_alloc.type}.
     */
    public int uapiValue()
    {
        return uapiValue;
    }

    /**
     * @return width of this type's vSIDs.
     */
    public int sidBits()
    {
        return sidBits;
    }

    /**
     * @param value a {@code type} field.
     * @return its constant.
     * @throws IommufdException {@link Errno#EOPNOTSUPP} naming the value for DEFAULT (0) or an unknown type.
     */
    public static ViommuType ofUapi(final int value)
    {
        for (final ViommuType type : values())
        {
            if (type.uapiValue == value)
            {
                return type;
            }
        }
        throw new IommufdException(Errno.EOPNOTSUPP, "viommu type=" + value + " is not supported");
    }
}
