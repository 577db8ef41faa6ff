package dev.cmdq.vcmdq.host;

import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.Objects;

/**
 * The in-process model of one iommufd context: object IDs, bound devices, S2 nest-parent domains,
 * vIOMMUs and vDEVICEs over the host's physical SMMUs, and the invalidation path.
 *
 * <p>Objects live in an array indexed by ID, published copy-on-write with a release store, so the
 * hot path ({@link #invalidate}) finds its vIOMMU with one acquire load and no lock or boxing; set-up
 * and tear-down synchronise on the instance. Each invalidating thread gets its own
 * {@link ViommuInvalidator} (a reusable chunk buffer) on its first call.
 *
 * <p>Not modelled yet: HW queues and vEVENTQs need the CMDQV hardware model; until it is merged
 * {@link #allocHwQueue} and {@link #allocVeventq} fail with {@link Errno#EOPNOTSUPP}.
 */
public final class Iommufd implements IommufdBackend
{
    /** {@code IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3}. */
    public static final int INVALIDATE_DATA_ARM_SMMUV3 = 1;
    /** SMMUv3 invalidation entry size. */
    public static final int ENTRY_LEN = 16;

    private final HostCmdq[] queues;
    private final VmidAllocator[] vmids;
    private final VmidPolicy vmidPolicy;
    private final SidTable sids;
    private final int cmdqvSidSlots;
    private final ThreadLocal<ViommuInvalidator> invalidators;
    private volatile Object[] objects = new Object[16];
    private int nextId = 1;

    /**
     * @param vmidPolicy    where vIOMMU VMIDs come from.
     * @param cmdqvSidSlots SID_MATCH slots per VINTF (e.g. 16): the vDEVICE limit of a CMDQV vIOMMU.
     * @param queues        the main CMDQ of every physical SMMU, smmuId = index.
     */
    public Iommufd(final VmidPolicy vmidPolicy, final int cmdqvSidSlots, final HostCmdq... queues)
    {
        this.vmidPolicy = Objects.requireNonNull(vmidPolicy, "vmidPolicy");
        this.queues = queues.clone();
        for (int i = 0; i < this.queues.length; i++)
        {
            if (this.queues[i].smmuId() != i)
            {
                throw new IllegalArgumentException("queues[" + i + "] belongs to smmu " + this.queues[i].smmuId());
            }
        }
        this.vmids = new VmidAllocator[queues.length];
        for (int i = 0; i < vmids.length; i++)
        {
            vmids[i] = new VmidAllocator(16, new VmidInvalidation(this.queues[i]));
        }
        this.sids = new SidTable(SidTable.MAX_VIOMMUS);
        this.cmdqvSidSlots = cmdqvSidSlots;
        final HostCmdq[] all = this.queues;
        this.invalidators = ThreadLocal.withInitial(() -> new ViommuInvalidator(all));
    }

    /**
     * Binds a physical device (what VFIO's bind to iommufd does).
     *
     * @param smmuId   the physical SMMU it sits behind.
     * @param streamId its StreamID.
     * @return the device's ID ({@code dev_id}).
     */
    public synchronized int bindDevice(final int smmuId, final long streamId)
    {
        checkSmmu(smmuId);
        final int id = nextId;
        publish(id, new HostDevice(id, smmuId, streamId));
        return id;
    }

    @Override
    public synchronized int allocNestParent(final int devId)
    {
        final HostDevice device = object(devId, HostDevice.class, "dev_id");
        final int id = nextId;
        publish(id, new NestParentDomain(id, device.smmuId(), vmids[device.smmuId()].allocate()));
        return id;
    }

    @Override
    public synchronized int allocViommu(final ViommuType type, final int devId, final int hwptId)
    {
        Objects.requireNonNull(type, "type");
        final HostDevice device = object(devId, HostDevice.class, "dev_id");
        final NestParentDomain parent = object(hwptId, NestParentDomain.class, "hwpt_id");
        final int id = nextId;
        final int smmu = device.smmuId();
        publish(id, Viommu.allocate(id, type, smmu, parent, vmidPolicy, vmids[smmu], sids,
            type == ViommuType.TEGRA241_CMDQV ? cmdqvSidSlots : 0));
        return id;
    }

    @Override
    public synchronized int allocVdevice(final int viommuId, final int devId, final long virtId)
    {
        final Viommu viommu = object(viommuId, Viommu.class, "viommu_id");
        final HostDevice device = object(devId, HostDevice.class, "dev_id");
        for (final Object o : objects)
        {
            if (o instanceof Vdevice && ((Vdevice)o).device() == device)
            {
                throw new IommufdException(Errno.EEXIST, "dev_id=" + devId + " already has " + o);
            }
        }
        final int id = nextId;
        publish(id, viommu.addVdevice(id, device, virtId));
        return id;
    }

    @Override
    public int allocHwQueue(final int viommuId, final int type, final int index, final long nestingParentIova, final long length)
    {
        throw new IommufdException(Errno.EOPNOTSUPP, "HW queues are not modelled without the CMDQV hardware model (viommu_id=" +
            viommuId + ")");
    }

    @Override
    public int allocVeventq(final int viommuId, final int type, final int depth)
    {
        throw new IommufdException(Errno.EOPNOTSUPP, "vEVENTQs are not modelled without the CMDQV hardware model (viommu_id=" +
            viommuId + ")");
    }

    @Override
    public synchronized void destroy(final int id)
    {
        final Object o = object(id, Object.class, "id");
        if (o instanceof Vdevice)
        {
            final Vdevice vdevice = (Vdevice)o;
            vdevice.viommu().removeVdevice(vdevice);
        }
        else if (o instanceof Viommu)
        {
            ((Viommu)o).destroy();
        }
        else if (o instanceof NestParentDomain)
        {
            final NestParentDomain domain = (NestParentDomain)o;
            if (domain.viommus() != 0)
            {
                throw new IommufdException(Errno.EBUSY, "hwpt_id=" + id + " is the parent of " + domain.viommus() + " vIOMMUs");
            }
            vmids[domain.smmuId()].free(domain.vmid());
        }
        else if (o instanceof HostDevice)
        {
            for (final Object other : objects)
            {
                if (other instanceof Vdevice && ((Vdevice)other).device() == o)
                {
                    throw new IommufdException(Errno.EBUSY, "dev_id=" + id + " still has " + other);
                }
            }
        }
        final Object[] copy = objects.clone();
        copy[id] = null;
        objects = copy;
    }

    @Override
    public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
    {
        final int count = header.entryNum();
        header.entryNum(0);
        if (header.reserved() != 0)
        {
            return -Errno.EOPNOTSUPP.value();
        }
        if (count != 0 && header.entryLen() == 0)
        {
            return -Errno.EINVAL.value();
        }
        if (header.dataType() != INVALIDATE_DATA_ARM_SMMUV3 || header.entryLen() != ENTRY_LEN)
        {
            // Other entry lengths are legal in the uAPI (zero-extended copies); the model takes 16 only.
            return -Errno.EOPNOTSUPP.value();
        }
        final Object[] snapshot = objects;
        final int id = header.hwptId();
        final Object o = id > 0 && id < snapshot.length ? snapshot[id] : null;
        if (!(o instanceof Viommu))
        {
            return -Errno.ENOENT.value();
        }
        final ViommuInvalidator invalidator = invalidators.get();
        final int status = invalidator.invalidate((Viommu)o, entries, offset, count);
        header.entryNum(invalidator.handled());
        return -InvalidateStatus.errno(status);
    }

    /**
     * @param id an object ID.
     * @return the vIOMMU with that ID.
     * @throws IommufdException {@link Errno#ENOENT} naming the ID otherwise.
     */
    public Viommu viommu(final int id)
    {
        return object(id, Viommu.class, "viommu_id");
    }

    /**
     * @param smmuId a physical SMMU.
     * @return its VMID space.
     */
    public VmidAllocator vmids(final int smmuId)
    {
        checkSmmu(smmuId);
        return vmids[smmuId];
    }

    /**
     * Forgets every object. The main CMDQs belong to the caller and stay open.
     */
    @Override
    public synchronized void close()
    {
        objects = new Object[16];
    }

    private void checkSmmu(final int smmuId)
    {
        if (smmuId < 0 || smmuId >= queues.length)
        {
            throw new IommufdException(Errno.EINVAL, "smmu " + smmuId + " does not exist (" + queues.length + " SMMUs)");
        }
    }

    private <T> T object(final int id, final Class<T> type, final String field)
    {
        final Object[] snapshot = objects;
        final Object o = id > 0 && id < snapshot.length ? snapshot[id] : null;
        if (!type.isInstance(o))
        {
            throw new IommufdException(Errno.ENOENT, field + "=" + id + " is no " + type.getSimpleName() +
                (o == null ? "" : " (it is a " + o.getClass().getSimpleName() + ")"));
        }
        return type.cast(o);
    }

    private void publish(final int id, final Object object)
    {
        final Object[] current = objects;
        final Object[] copy = Arrays.copyOf(current, Math.max(current.length, Integer.highestOneBit(id) << 1));
        copy[id] = object;
        objects = copy;
        nextId = id + 1;
    }
}
