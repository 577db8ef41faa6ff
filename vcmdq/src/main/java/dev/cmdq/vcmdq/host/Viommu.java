package dev.cmdq.vcmdq.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A vIOMMU ({@code IOMMU_VIOMMU_ALLOC}, vcmdq-viommu.md §3.3): a slice of exactly one physical SMMU for
 * one VM, holding the VMID its invalidations are scoped by and its vDEVICE table (vSID → pSID, a
 * {@link SidTable} map that only this vIOMMU's lookups can reach).
 *
 * <p>Hot path: {@link #vmid()} and {@link #translateSid(long)} are lock-free and allocation-free.
 * Set-up and tear-down (vDEVICEs, children, destroy) synchronise on the instance. Lifetimes follow
 * §3.9: {@link #destroy()} with a live vDEVICE, HW queue or vEVENTQ is {@link Errno#EBUSY}.
 */
public final class Viommu
{
    private final int id;
    private final ViommuType type;
    private final int smmuId;
    private final NestParentDomain parent;
    private final VmidPolicy vmidPolicy;
    private final VmidAllocator vmids;
    private final int vmid;
    private final SidTable sids;
    private final int sidHandle;
    private final int maxVdevices;
    private final Map<Long, Vdevice> vdevices = new HashMap<>();
    private int otherChildren;
    private volatile boolean destroyed;

    private Viommu(
        final int id,
        final ViommuType type,
        final int smmuId,
        final NestParentDomain parent,
        final VmidPolicy vmidPolicy,
        final VmidAllocator vmids,
        final int vmid,
        final SidTable sids,
        final int sidHandle,
        final int maxVdevices)
    {
        this.id = id;
        this.type = type;
        this.smmuId = smmuId;
        this.parent = parent;
        this.vmidPolicy = vmidPolicy;
        this.vmids = vmids;
        this.vmid = vmid;
        this.sids = sids;
        this.sidHandle = sidHandle;
        this.maxVdevices = maxVdevices;
    }

    /**
     * Creates a vIOMMU and takes its VMID by policy.
     *
     * @param id          iommufd object ID.
     * @param type        SMMUv3 or CMDQV.
     * @param smmuId      the physical SMMU backing it.
     * @param parent      the S2 nesting-parent domain.
     * @param vmidPolicy  where the VMID comes from.
     * @param smmuVmids   the VMID space of {@code smmuId} (used by {@link VmidPolicy#PER_VIOMMU}).
     * @param sids        the SID table the vIOMMU gets its own map in.
     * @param maxVdevices most vDEVICEs at once (a CMDQV VINTF's SID slots, e.g. 16), or 0 for no limit.
     * @return the vIOMMU.
     * @throws IommufdException {@link Errno#EINVAL} when, under {@link VmidPolicy#S2_DOMAIN}, the parent
     *                          belongs to another SMMU (mainline's check); {@link Errno#ENOSPC} when no
     *                          VMID is free; {@link Errno#ENOMEM} when the SID table is full.
     */
    public static Viommu allocate(
        final int id,
        final ViommuType type,
        final int smmuId,
        final NestParentDomain parent,
        final VmidPolicy vmidPolicy,
        final VmidAllocator smmuVmids,
        final SidTable sids,
        final int maxVdevices)
    {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(vmidPolicy, "vmidPolicy");
        Objects.requireNonNull(smmuVmids, "smmuVmids");
        Objects.requireNonNull(sids, "sids");
        if (maxVdevices < 0)
        {
            throw new IllegalArgumentException("maxVdevices=" + maxVdevices + " is negative");
        }
        final int vmid;
        if (vmidPolicy == VmidPolicy.S2_DOMAIN)
        {
            if (parent.smmuId() != smmuId)
            {
                throw new IommufdException(Errno.EINVAL, "S2 domain " + parent.id() + " belongs to smmu " +
                    parent.smmuId() + ", not to the vIOMMU's smmu " + smmuId);
            }
            vmid = parent.vmid();
        }
        else
        {
            vmid = smmuVmids.allocate();
        }
        final int handle;
        try
        {
            handle = sids.addViommu(type.sidBits());
        }
        catch (final IommufdException e)
        {
            if (vmidPolicy == VmidPolicy.PER_VIOMMU)
            {
                smmuVmids.free(vmid);
            }
            throw e;
        }
        parent.retain();
        return new Viommu(id, type, smmuId, parent, vmidPolicy, smmuVmids, vmid, sids, handle, maxVdevices);
    }

    /**
     * Hot path: the pSID of a vSID in this vIOMMU only.
     *
     * @param vsid the guest StreamID.
     * @return its pSID, or {@link SidTable#NO_ENTRY}.
     */
    public long translateSid(final long vsid)
    {
        return sids.lookup(sidHandle, vsid);
    }

    /**
     * {@code IOMMU_VDEVICE_ALLOC}: maps {@code virtId} to the device's StreamID in this vIOMMU.
     *
     * @param vdeviceId iommufd object ID for the vDEVICE.
     * @param device    the physical device.
     * @param virtId    the guest StreamID.
     * @return the vDEVICE.
     * @throws IommufdException {@link Errno#EINVAL} when the device sits behind another SMMU or
     *                          {@code virtId} does not fit this type's vSID width (naming the value);
     *                          {@link Errno#EEXIST} naming {@code virtId} when it is taken;
     *                          {@link Errno#ENOSPC} when the SID slots are all used; {@link Errno#ENOENT}
     *                          after {@link #destroy()}.
     */
    public synchronized Vdevice addVdevice(final int vdeviceId, final HostDevice device, final long virtId)
    {
        Objects.requireNonNull(device, "device");
        checkLive();
        if (device.smmuId() != smmuId)
        {
            throw new IommufdException(Errno.EINVAL, "device " + device.devId() + " sits behind smmu " +
                device.smmuId() + ", vIOMMU " + id + " behind smmu " + smmuId);
        }
        if (vdevices.containsKey(virtId))
        {
            throw new IommufdException(Errno.EEXIST, "virt_id=0x" + Long.toHexString(virtId) + " is taken in vIOMMU " + id +
                " by " + vdevices.get(virtId));
        }
        if (maxVdevices != 0 && vdevices.size() == maxVdevices)
        {
            throw new IommufdException(Errno.ENOSPC, "vIOMMU " + id + " has no free SID slot (" + maxVdevices + " in use)");
        }
        sids.put(sidHandle, virtId, device.streamId());
        final Vdevice vdevice = new Vdevice(vdeviceId, this, device, virtId);
        vdevices.put(virtId, vdevice);
        return vdevice;
    }

    /**
     * Destroys a vDEVICE: its vSID stops translating for lookups that start afterwards.
     *
     * @param vdevice a vDEVICE of this vIOMMU.
     * @throws IommufdException {@link Errno#ENOENT} when it is not (or no longer) one of this vIOMMU's.
     */
    public synchronized void removeVdevice(final Vdevice vdevice)
    {
        if (vdevice.viommu() != this || vdevices.get(vdevice.virtId()) != vdevice)
        {
            throw new IommufdException(Errno.ENOENT, vdevice + " is not a live vDEVICE of vIOMMU " + id);
        }
        sids.remove(sidHandle, vdevice.virtId());
        vdevices.remove(vdevice.virtId());
    }

    /**
     * @return the live vDEVICEs, a snapshot.
     */
    public synchronized List<Vdevice> vdevices()
    {
        return new ArrayList<>(vdevices.values());
    }

    /**
     * Records a child other than a vDEVICE (HW queue, vEVENTQ, nested HWPT) that must go first.
     *
     * @throws IommufdException {@link Errno#ENOENT} after {@link #destroy()}.
     */
    public synchronized void retainChild()
    {
        checkLive();
        otherChildren++;
    }

    /**
     * Drops a child recorded by {@link #retainChild()}.
     */
    public synchronized void releaseChild()
    {
        if (otherChildren == 0)
        {
            throw new IllegalStateException("vIOMMU " + id + " has no child to release");
        }
        otherChildren--;
    }

    /**
     * Destroys the vIOMMU: its SID map is removed (stale lookups find nothing), a per-vIOMMU VMID is
     * freed, the S2 domain reference dropped.
     *
     * @throws IommufdException {@link Errno#EBUSY} naming the live children while any exist;
     *                          {@link Errno#ENOENT} when already destroyed; {@link Errno#EIO} when the
     *                          per-vIOMMU VMID could not be invalidated (nothing changed then).
     */
    public synchronized void destroy()
    {
        checkLive();
        if (!vdevices.isEmpty() || otherChildren != 0)
        {
            throw new IommufdException(Errno.EBUSY, "vIOMMU " + id + " still has " + vdevices.size() +
                " vDEVICEs and " + otherChildren + " other children");
        }
        if (vmidPolicy == VmidPolicy.PER_VIOMMU)
        {
            // First, so a failed VMID-wide invalidation leaves the vIOMMU whole (destroy can be retried).
            vmids.free(vmid);
        }
        sids.removeViommu(sidHandle);
        parent.release();
        destroyed = true;
    }

    private void checkLive()
    {
        if (destroyed)
        {
            throw new IommufdException(Errno.ENOENT, "vIOMMU " + id + " is destroyed");
        }
    }

    /**
     * @return iommufd object ID.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the vIOMMU type.
     */
    public ViommuType type()
    {
        return type;
    }

    /**
     * @return the physical SMMU backing it.
     */
    public int smmuId()
    {
        return smmuId;
    }

    /**
     * @return the S2 nesting parent.
     */
    public NestParentDomain parent()
    {
        return parent;
    }

    /**
     * @return the VMID every TLBI of this vIOMMU is rewritten to.
     */
    public int vmid()
    {
        return vmid;
    }

    /**
     * @return the VMID policy it was created under.
     */
    public VmidPolicy vmidPolicy()
    {
        return vmidPolicy;
    }

    /**
     * @return true after {@link #destroy()}.
     */
    public boolean isDestroyed()
    {
        return destroyed;
    }

    @Override
    public String toString()
    {
        return "Viommu{id=" + id + ", type=" + type + ", smmu=" + smmuId + ", vmid=" + vmid + "}";
    }
}
