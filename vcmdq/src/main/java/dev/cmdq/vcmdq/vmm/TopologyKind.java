package dev.cmdq.vcmdq.vmm;

/**
 * The two vSMMU topologies of the seed discussion (vcmdq-viommu.md §4.1, §4.2).
 */
public enum TopologyKind
{
    /**
     * One vSMMU for the whole VM, fanned out to one vIOMMU per physical SMMU behind which the VM has a
     * device; SID-carrying commands go to the owning vIOMMU, ASID/VMID-wide ones to every vIOMMU.
     * Trapped path only: a guest VCMDQ feeds exactly one physical SMMU.
     */
    FANNED_OUT,
    /**
     * One vSMMU per physical SMMU, each with exactly one vIOMMU (what upstream QEMU ships); the only
     * topology that can carry a VCMDQ.
     */
    PER_PHYSICAL_SMMU
}
