package dev.cmdq.vcmdq.vmm;

/**
 * The costs of the trapped path that the model cannot execute for real, each charged where it occurs.
 */
public enum CostKind
{
    /** A VM exit and re-entry: every guest access to an emulated register. */
    VM_EXIT,
    /** A syscall entry and return: every iommufd ioctl on the hot path (IOMMU_HWPT_INVALIDATE, STE re-install). */
    SYSCALL
}
