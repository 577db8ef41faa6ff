package dev.cmdq.vcmdq.host;

/**
 * An S2 nesting-parent HWPT ({@code IOMMU_HWPT_ALLOC} with NEST_PARENT, vcmdq-viommu.md §3.2): the
 * guest-RAM page table, created on one physical SMMU with a VMID from that SMMU's space. Under
 * {@link VmidPolicy#S2_DOMAIN} every vIOMMU on it uses this VMID; under {@link VmidPolicy#PER_VIOMMU}
 * vIOMMUs on any SMMU may share it, each with its own VMID.
 */
public final class NestParentDomain
{
    private final int id;
    private final int smmuId;
    private final int vmid;
    private int viommus;

    /**
     * @param id     iommufd object ID.
     * @param smmuId the physical SMMU the domain was created on.
     * @param vmid   its VMID on that SMMU.
     */
    public NestParentDomain(final int id, final int smmuId, final int vmid)
    {
        this.id = id;
        this.smmuId = smmuId;
        this.vmid = vmid;
    }

    /**
     * @return the object ID.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the physical SMMU the domain was created on.
     */
    public int smmuId()
    {
        return smmuId;
    }

    /**
     * @return the domain's VMID on {@link #smmuId()}.
     */
    public int vmid()
    {
        return vmid;
    }

    /**
     * @return vIOMMUs referencing this domain.
     */
    public synchronized int viommus()
    {
        return viommus;
    }

    synchronized void retain()
    {
        viommus++;
    }

    synchronized void release()
    {
        if (viommus == 0)
        {
            throw new IllegalStateException("S2 domain " + id + " released more often than retained");
        }
        viommus--;
    }
}
