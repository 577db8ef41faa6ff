package dev.cmdq.vcmdq.vmm;

/**
 * A VCMDQ was asked of a vSMMU that cannot carry one: a fanned-out vSMMU reaches several physical SMMUs,
 * but a guest VCMDQ executes on exactly one (vcmdq-viommu.md §4.1), or a per-physical-SMMU vSMMU has no
 * vIOMMU yet.
 */
public final class VcmdqRefusedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the vSMMU and why.
     */
    public VcmdqRefusedException(final String message)
    {
        super(message);
    }
}
