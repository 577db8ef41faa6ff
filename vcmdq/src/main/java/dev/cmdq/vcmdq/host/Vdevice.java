package dev.cmdq.vcmdq.host;

/**
 * A vDEVICE ({@code IOMMU_VDEVICE_ALLOC}, vcmdq-viommu.md §3.5): a physical device as the guest names it
 * behind one vIOMMU — {@code virt_id} is the guest StreamID (vSID) — and so one entry of that vIOMMU's
 * vSID → pSID table. Immutable; created and destroyed through its {@link Viommu}.
 */
public final class Vdevice
{
    private final int id;
    private final Viommu viommu;
    private final HostDevice device;
    private final long virtId;

    Vdevice(final int id, final Viommu viommu, final HostDevice device, final long virtId)
    {
        this.id = id;
        this.viommu = viommu;
        this.device = device;
        this.virtId = virtId;
    }

    /**
     * @return iommufd object ID.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the vIOMMU it belongs to.
     */
    public Viommu viommu()
    {
        return viommu;
    }

    /**
     * @return the physical device.
     */
    public HostDevice device()
    {
        return device;
    }

    /**
     * @return the guest StreamID (vSID).
     */
    public long virtId()
    {
        return virtId;
    }

    /**
     * @return the physical StreamID it translates to.
     */
    public long physicalSid()
    {
        return device.streamId();
    }

    @Override
    public String toString()
    {
        return "Vdevice{id=" + id + ", viommu=" + viommu.id() + ", vsid=0x" + Long.toHexString(virtId) +
            ", psid=0x" + Long.toHexString(device.streamId()) + "}";
    }
}
