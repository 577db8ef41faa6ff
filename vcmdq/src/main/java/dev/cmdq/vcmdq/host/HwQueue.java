package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.hw.Vcmdq;

/**
 * A HW queue ({@code IOMMU_HW_QUEUE_ALLOC}, vcmdq-viommu.md §3.6): a guest ring in guest memory attached
 * to logical VCMDQ {@link #index()} of its vIOMMU's VINTF. The VMM gets its page-0 registers mapped
 * ({@link #registers()}, never trapped) and enables it the way the guest does, through CONFIG.
 * Immutable; created and destroyed through {@link Iommufd}.
 */
public final class HwQueue
{
    private final int id;
    private final Viommu viommu;
    private final GuestVintf vintf;
    private final int index;
    private final Vcmdq vcmdq;
    private final long gpa;
    private final long length;

    HwQueue(final int id, final Viommu viommu, final GuestVintf vintf, final int index, final Vcmdq vcmdq,
        final long gpa, final long length)
    {
        this.id = id;
        this.viommu = viommu;
        this.vintf = vintf;
        this.index = index;
        this.vcmdq = vcmdq;
        this.gpa = gpa;
        this.length = length;
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

    GuestVintf vintf()
    {
        return vintf;
    }

    Vcmdq vcmdq()
    {
        return vcmdq;
    }

    /**
     * @return the logical VCMDQ index in the VINTF.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return the guest-physical base of the ring.
     */
    public long gpa()
    {
        return gpa;
    }

    /**
     * @return ring bytes.
     */
    public long length()
    {
        return length;
    }

    /**
     * @return PROD, CONS, GERROR, GERRORN of the queue: the mapped VINTF page 0.
     */
    public QueueRegisters registers()
    {
        return vcmdq.registers();
    }

    @Override
    public String toString()
    {
        return "HwQueue{id=" + id + ", viommu=" + viommu.id() + ", index=" + index + ", gpa=0x" +
            Long.toHexString(gpa) + ", length=" + length + "}";
    }
}
