package dev.cmdq.smmu.validate;

/**
 * Where a command is submitted; each kind has its own allow-list.
 */
public enum QueueKind
{
    /** An SMMU's main (Non-secure) command queue: every command. */
    MAIN_CMDQ,
    /**
     * A Tegra241 VCMDQ of a hypervisor-owned VINTF (HYP_OWN=1, the host's VINTF0): every command, like
     * the main CMDQ (the kernel only restricts VINTFs whose HYP_OWN reads 0).
     */
    HOST_VCMDQ,
    /**
     * A Tegra241 VCMDQ of a guest-owned VINTF (HYP_OWN=0): TLBI_NH_ASID, TLBI_NH_VA, ATC_INV and
     * CMD_SYNC with CS=NONE only (vcmdq-viommu.md §2; kernel {@code tegra241_guest_vcmdq_supports_cmd}).
     */
    GUEST_VCMDQ,
    /**
     * The iommufd {@code IOMMU_HWPT_INVALIDATE} path of a vIOMMU (vcmdq-viommu.md §3.7): the eight
     * opcodes TLBI_NSNH_ALL, TLBI_NH_ALL, TLBI_NH_ASID, TLBI_NH_VA, TLBI_NH_VAA, ATC_INV, CFGI_CD,
     * CFGI_CD_ALL; the accepted commands then run on the physical SMMU's main CMDQ.
     */
    IOMMUFD_INVALIDATE
}
