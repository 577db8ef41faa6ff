package dev.cmdq.vcmdq.vmm;

import dev.cmdq.vcmdq.host.Errno;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.IommufdException;
import dev.cmdq.vcmdq.host.ViommuType;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.Objects;

/**
 * Which vIOMMUs stand behind one vSMMU and which one a guest StreamID belongs to (vcmdq-viommu.md §4).
 *
 * <pre>
 *   FANNED_OUT                               PER_PHYSICAL_SMMU
 *   vSMMU -+- vIOMMU 0 -- pSMMU a            vSMMU -- vIOMMU 0 -- pSMMU a
 *          +- vIOMMU 1 -- pSMMU b
 *          +- ...  (one per pSMMU, on demand)
 *   vSID -&gt; vIOMMU index: SID-carrying commands go to one vIOMMU; ASID/VMID-wide ones to all.
 * </pre>
 *
 * <p><b>Attach.</b> Fanned out: the vDEVICE is first tried on every existing vIOMMU in order; the host
 * refuses one behind another physical SMMU ({@link Errno#EINVAL}); only when all refuse does the VMM
 * allocate a nest-parent S2 domain and a new vIOMMU through that device (the seed's lazy scheme, §4.1).
 * Per physical SMMU: the first device allocates the one vIOMMU; a device behind another physical SMMU
 * is refused by the host, and that refusal reaches the caller.
 *
 * <p><b>Detach</b> (hot-unplug, as QEMU's device unplug): the device's vDEVICE is destroyed on the host
 * (on a CMDQV vIOMMU the host first drains the VINTF's queues, syncs and clears the vSID's SID slot,
 * vcmdq-viommu.md §1.9, §3.5), then its route is removed. From then on the vSID is exactly a vSID no
 * device was ever attached with, and it (or another device under it) can be attached again. The vIOMMUs
 * and their S2 parents stay until the VM's teardown, even when their last device leaves: QEMU frees the
 * vIOMMU then, but an emulated CMDQV's HW queues hang off it, and a later hot-plug could otherwise bind
 * the vSMMU to another physical SMMU (§6, Hotplug).
 *
 * <p><b>Routing.</b> {@link #route} answers from a map filled at attach and emptied at detach. A vSID no device was attached
 * with has no owner: fanned out, it cannot be routed ({@link #NO_ROUTE}: the trap handler raises
 * CERROR_ILL); per physical SMMU it goes to the one vIOMMU, whose host table refuses it — the same
 * CERROR_ILL, decided by the host as in QEMU's accelerated path.
 *
 * <p><b>Threads.</b> Not thread-safe: every call is made under the owning vSMMU's lock. {@link #route}
 * allocates nothing; attach may grow arrays.
 */
public final class VsmmuTopology
{
    /** {@link #route} result: no vIOMMU owns the vSID. */
    public static final int NO_ROUTE = -1;

    private final TopologyKind kind;
    private final IommufdBackend backend;
    private final String name;
    private final ViommuType viommuType;
    private final Long2LongHashMap vsidToIndex = new Long2LongHashMap(NO_ROUTE);
    private int[] viommuIds = new int[4];
    private int viommuCount;
    private long[] deviceVsids = new long[8];
    private int[] deviceViommuIndex = new int[8];
    private int[] deviceVdeviceIds = new int[8];
    private int deviceCount;

    /**
     * @param kind    the topology.
     * @param backend the host's iommufd.
     * @param name    the vSMMU's name, for messages.
     */
    public VsmmuTopology(final TopologyKind kind, final IommufdBackend backend, final String name)
    {
        this(kind, backend, name, ViommuType.ARM_SMMUV3);
    }

    /**
     * @param kind       the topology.
     * @param backend    the host's iommufd.
     * @param name       the vSMMU's name, for messages.
     * @param viommuType the type of every vIOMMU it allocates: {@link ViommuType#TEGRA241_CMDQV} for a
     *                   vSMMU with an emulated CMDQV (QEMU's {@code tegra241-cmdqv=on}), else ARM_SMMUV3.
     */
    public VsmmuTopology(final TopologyKind kind, final IommufdBackend backend, final String name, final ViommuType viommuType)
    {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.name = Objects.requireNonNull(name, "name");
        this.viommuType = Objects.requireNonNull(viommuType, "viommuType");
    }

    /**
     * Attaches a host device to the vSMMU under guest StreamID {@code vsid}, allocating a vIOMMU when the
     * topology needs one.
     *
     * @param devId the device's iommufd ID.
     * @param vsid  its guest StreamID.
     * @return the ID of the vIOMMU the device's vDEVICE was created in.
     * @throws IllegalArgumentException naming {@code vsid} when it is already attached to this vSMMU.
     * @throws IommufdException         the host's refusal (e.g. a device behind another physical SMMU on a
     *                                  per-physical-SMMU vSMMU); nothing is left allocated by this call then.
     */
    public int attach(final int devId, final long vsid)
    {
        if (vsidToIndex.containsKey(vsid))
        {
            throw new IllegalArgumentException("vsid=0x" + Long.toHexString(vsid) + " is already attached to " + name);
        }
        if (kind == TopologyKind.FANNED_OUT)
        {
            for (int i = 0; i < viommuCount; i++)
            {
                final int vdevice;
                try
                {
                    vdevice = backend.allocVdevice(viommuIds[i], devId, vsid);
                }
                catch (final IommufdException e)
                {
                    if (e.errno() != Errno.EINVAL)
                    {
                        throw e;
                    }
                    // EINVAL: the device sits behind another physical SMMU; try the next vIOMMU.
                    continue;
                }
                return record(vsid, i, vdevice);
            }
            return attachToNewViommu(devId, vsid);
        }
        if (viommuCount == 0)
        {
            return attachToNewViommu(devId, vsid);
        }
        return record(vsid, 0, backend.allocVdevice(viommuIds[0], devId, vsid));
    }

    /**
     * Detaches the device attached under {@code vsid} (hot-unplug): destroys its vDEVICE on the host,
     * then removes its route. Every other device, the vIOMMUs and their S2 parents stay.
     *
     * @param vsid an attached guest StreamID.
     * @return the ID of the vIOMMU the device's vDEVICE was destroyed in.
     * @throws IllegalArgumentException naming {@code vsid} when no device is attached under it.
     * @throws IommufdException         the host's refusal (e.g. {@link Errno#ETIMEDOUT} when a CMDQV vIOMMU's
     *                                  queues did not drain within the wait bound); the device then stays
     *                                  attached and routed, and the detach can be retried.
     */
    public int detach(final long vsid)
    {
        final int i = deviceOf(vsid);
        if (i < 0)
        {
            throw new IllegalArgumentException("vsid=0x" + Long.toHexString(vsid) + " is not attached to " + name);
        }
        final int index = deviceViommuIndex[i];
        // The host goes first: when it refuses, nothing of the VMM's view has changed.
        backend.destroy(deviceVdeviceIds[i]);
        vsidToIndex.remove(vsid);
        final int after = deviceCount - i - 1;
        System.arraycopy(deviceVsids, i + 1, deviceVsids, i, after);
        System.arraycopy(deviceViommuIndex, i + 1, deviceViommuIndex, i, after);
        System.arraycopy(deviceVdeviceIds, i + 1, deviceVdeviceIds, i, after);
        deviceCount--;
        return viommuIds[index];
    }

    /**
     * Hot path: the vIOMMU a SID-carrying command goes to.
     *
     * @param vsid a guest StreamID.
     * @return the vIOMMU's index ({@code 0 .. viommuCount()-1}) or {@link #NO_ROUTE}.
     */
    public int route(final long vsid)
    {
        final int index = (int)vsidToIndex.get(vsid);
        if (index == NO_ROUTE && kind == TopologyKind.PER_PHYSICAL_SMMU && viommuCount == 1)
        {
            return 0;
        }
        return index;
    }

    /**
     * Hot path: the vIOMMU a device was attached to, with no fallback.
     *
     * @param vsid a guest StreamID.
     * @return the index of the vIOMMU holding that vSID's vDEVICE, or {@link #NO_ROUTE} when no device
     *         was attached under it.
     */
    public int owner(final long vsid)
    {
        return (int)vsidToIndex.get(vsid);
    }

    /**
     * The vIOMMU a guest VCMDQ of this vSMMU would be allocated on (the CMDQV page handler's entry).
     *
     * @return the ID of the vSMMU's one vIOMMU.
     * @throws VcmdqRefusedException on a fanned-out vSMMU (whatever its current vIOMMU count: a later
     *                               device may add a physical SMMU), or before any device is attached.
     */
    public int vcmdqViommu()
    {
        if (kind == TopologyKind.FANNED_OUT)
        {
            throw new VcmdqRefusedException("VCMDQ refused on " + name + ": it is fanned out to " + viommuCount +
                " vIOMMU(s), but a guest VCMDQ executes on exactly one physical SMMU; use one vSMMU per physical SMMU");
        }
        if (viommuCount == 0)
        {
            throw new VcmdqRefusedException("VCMDQ refused on " + name + ": no device is attached, so no vIOMMU exists yet");
        }
        return viommuIds[0];
    }

    /**
     * @return the topology.
     */
    public TopologyKind kind()
    {
        return kind;
    }

    /**
     * @return the type of the vIOMMUs it allocates.
     */
    public ViommuType viommuType()
    {
        return viommuType;
    }

    /**
     * @return vIOMMUs behind the vSMMU.
     */
    public int viommuCount()
    {
        return viommuCount;
    }

    /**
     * @param index {@code 0 .. viommuCount()-1}.
     * @return that vIOMMU's ID.
     */
    public int viommuId(final int index)
    {
        if (index < 0 || index >= viommuCount)
        {
            throw new IndexOutOfBoundsException("index=" + index + " of " + viommuCount + " vIOMMUs");
        }
        return viommuIds[index];
    }

    /**
     * @return attached devices.
     */
    public int deviceCount()
    {
        return deviceCount;
    }

    /**
     * @param i {@code 0 .. deviceCount()-1}, in attach order (a detached device leaves the order).
     * @return that device's guest StreamID.
     */
    public long deviceVsid(final int i)
    {
        return deviceVsids[i];
    }

    /**
     * @param i {@code 0 .. deviceCount()-1}.
     * @return the index of that device's vIOMMU.
     */
    public int deviceViommuIndex(final int i)
    {
        return deviceViommuIndex[i];
    }

    /**
     * @param i {@code 0 .. deviceCount()-1}.
     * @return the iommufd ID of that device's vDEVICE.
     */
    public int deviceVdeviceId(final int i)
    {
        return deviceVdeviceIds[i];
    }

    private int deviceOf(final long vsid)
    {
        for (int i = 0; i < deviceCount; i++)
        {
            if (deviceVsids[i] == vsid)
            {
                return i;
            }
        }
        return -1;
    }

    private int attachToNewViommu(final int devId, final long vsid)
    {
        final int hwpt = backend.allocNestParent(devId);
        int viommu = 0;
        final int vdevice;
        try
        {
            viommu = backend.allocViommu(viommuType, devId, hwpt);
            vdevice = backend.allocVdevice(viommu, devId, vsid);
        }
        catch (final RuntimeException e)
        {
            if (viommu != 0)
            {
                backend.destroy(viommu);
            }
            backend.destroy(hwpt);
            throw e;
        }
        if (viommuCount == viommuIds.length)
        {
            viommuIds = Arrays.copyOf(viommuIds, viommuCount * 2);
        }
        viommuIds[viommuCount] = viommu;
        return record(vsid, viommuCount++, vdevice);
    }

    private int record(final long vsid, final int index, final int vdeviceId)
    {
        if (deviceCount == deviceVsids.length)
        {
            deviceVsids = Arrays.copyOf(deviceVsids, deviceCount * 2);
            deviceViommuIndex = Arrays.copyOf(deviceViommuIndex, deviceCount * 2);
            deviceVdeviceIds = Arrays.copyOf(deviceVdeviceIds, deviceCount * 2);
        }
        deviceVsids[deviceCount] = vsid;
        deviceViommuIndex[deviceCount] = index;
        deviceVdeviceIds[deviceCount] = vdeviceId;
        deviceCount++;
        vsidToIndex.put(vsid, index);
        return viommuIds[index];
    }
}
