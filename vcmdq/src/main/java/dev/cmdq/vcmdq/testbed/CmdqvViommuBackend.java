package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Objects;

/**
 * The iommufd a VMM with {@code cmdqv=on} talks through: every call passes to the host unchanged except
 * IOMMU_VIOMMU_ALLOC, which asks for a {@link ViommuType#TEGRA241_CMDQV} vIOMMU instead of the plain
 * SMMUv3 one — what QEMU does for an accelerated vSMMU with CMDQV. Needed because the vSMMU's topology
 * allocates its vIOMMU itself with the plain type, and only a CMDQV vIOMMU gets a VINTF, so HW queues.
 */
final class CmdqvViommuBackend implements IommufdBackend
{
    private final IommufdBackend host;

    CmdqvViommuBackend(final IommufdBackend host)
    {
        this.host = Objects.requireNonNull(host, "host");
    }

    @Override
    public int allocNestParent(final int devId)
    {
        return host.allocNestParent(devId);
    }

    @Override
    public int allocViommu(final ViommuType type, final int devId, final int hwptId)
    {
        return host.allocViommu(ViommuType.TEGRA241_CMDQV, devId, hwptId);
    }

    @Override
    public int allocVdevice(final int viommuId, final int devId, final long virtId)
    {
        return host.allocVdevice(viommuId, devId, virtId);
    }

    @Override
    public void mapGuestMemory(final GuestMemory memory)
    {
        host.mapGuestMemory(memory);
    }

    @Override
    public int allocHwQueue(final int viommuId, final int type, final int index, final long nestingParentIova, final long length)
    {
        return host.allocHwQueue(viommuId, type, index, nestingParentIova, length);
    }

    @Override
    public QueueRegisters hwQueueRegisters(final int hwQueueId)
    {
        return host.hwQueueRegisters(hwQueueId);
    }

    @Override
    public void writeHwQueueConfig(final int hwQueueId, final int config)
    {
        host.writeHwQueueConfig(hwQueueId, config);
    }

    @Override
    public int hwQueueStatus(final int hwQueueId)
    {
        return host.hwQueueStatus(hwQueueId);
    }

    @Override
    public int allocVeventq(final int viommuId, final int type, final int depth)
    {
        return host.allocVeventq(viommuId, type, depth);
    }

    @Override
    public int readVevent(final int veventqId, final MutableDirectBuffer buffer, final int offset)
    {
        return host.readVevent(veventqId, buffer, offset);
    }

    @Override
    public void destroy(final int id)
    {
        host.destroy(id);
    }

    @Override
    public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
    {
        return host.invalidate(header, entries, offset);
    }

    /**
     * Does nothing: the host context belongs to the platform, not to one VMM.
     */
    @Override
    public void close()
    {
    }
}
