package dev.cmdq.vcmdq.host;

/**
 * Where a vIOMMU's VMID comes from (vcmdq-viommu.md §3.3, §4.3, §4.4). Both are supported because the
 * kernel is moving from the first to the second.
 */
public enum VmidPolicy
{
    /**
     * Mainline: the vIOMMU copies the VMID of its S2 nesting-parent domain, and that domain must belong
     * to the vIOMMU's physical SMMU. vIOMMUs on one SMMU sharing an S2 parent share its VMID.
     */
    S2_DOMAIN,
    /**
     * In flight ("share domain across SMMU/vSMMU instances"): each vIOMMU allocates its own VMID from its
     * physical SMMU's VMID space and frees it on destroy; one S2 parent may back vIOMMUs on several
     * SMMUs.
     */
    PER_VIOMMU
}
