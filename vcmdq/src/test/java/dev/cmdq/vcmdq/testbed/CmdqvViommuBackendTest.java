package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CmdqvViommuBackend}: IOMMU_VIOMMU_ALLOC asks for a TEGRA241_CMDQV vIOMMU whatever the VMM asked;
 * every other call passes through unchanged, with its arguments and result; close leaves the host open.
 */
class CmdqvViommuBackendTest
{
    @Test
    void onlyTheViommuTypeChanges()
    {
        final Recording host = new Recording();
        final CmdqvViommuBackend backend = new CmdqvViommuBackend(host);
        assertEquals(11, backend.allocNestParent(3));
        assertEquals(12, backend.allocViommu(ViommuType.ARM_SMMUV3, 3, 11));
        assertEquals(13, backend.allocVdevice(12, 3, 0x8));
        backend.mapGuestMemory(null);
        assertEquals(14, backend.allocHwQueue(12, 1, 0, 0x1000, 0x100));
        assertEquals(null, backend.hwQueueRegisters(14));
        backend.writeHwQueueConfig(14, 1);
        assertEquals(15, backend.hwQueueStatus(14));
        assertEquals(16, backend.allocVeventq(12, 2, 4));
        assertEquals(17, backend.readVevent(16, null, 8));
        backend.destroy(14);
        assertEquals(18, backend.invalidate(null, null, 0));
        backend.close();
        assertEquals(List.of(
            "allocNestParent 3", "allocViommu TEGRA241_CMDQV 3 11", "allocVdevice 12 3 8", "mapGuestMemory",
            "allocHwQueue 12 1 0 4096 256", "hwQueueRegisters 14", "writeHwQueueConfig 14 1", "hwQueueStatus 14",
            "allocVeventq 12 2 4", "readVevent 16 8", "destroy 14", "invalidate 0"), host.calls);
    }

    /** A host that records each call and answers with a distinct number. */
    private static final class Recording implements IommufdBackend
    {
        final List<String> calls = new ArrayList<>();

        @Override
        public int allocNestParent(final int devId)
        {
            calls.add("allocNestParent " + devId);
            return 11;
        }

        @Override
        public int allocViommu(final ViommuType type, final int devId, final int hwptId)
        {
            calls.add("allocViommu " + type + " " + devId + " " + hwptId);
            return 12;
        }

        @Override
        public int allocVdevice(final int viommuId, final int devId, final long virtId)
        {
            calls.add("allocVdevice " + viommuId + " " + devId + " " + virtId);
            return 13;
        }

        @Override
        public void mapGuestMemory(final GuestMemory memory)
        {
            calls.add("mapGuestMemory");
        }

        @Override
        public int allocHwQueue(final int viommuId, final int type, final int index, final long iova, final long length)
        {
            calls.add("allocHwQueue " + viommuId + " " + type + " " + index + " " + iova + " " + length);
            return 14;
        }

        @Override
        public QueueRegisters hwQueueRegisters(final int hwQueueId)
        {
            calls.add("hwQueueRegisters " + hwQueueId);
            return null;
        }

        @Override
        public void writeHwQueueConfig(final int hwQueueId, final int config)
        {
            calls.add("writeHwQueueConfig " + hwQueueId + " " + config);
        }

        @Override
        public int hwQueueStatus(final int hwQueueId)
        {
            calls.add("hwQueueStatus " + hwQueueId);
            return 15;
        }

        @Override
        public int allocVeventq(final int viommuId, final int type, final int depth)
        {
            calls.add("allocVeventq " + viommuId + " " + type + " " + depth);
            return 16;
        }

        @Override
        public int readVevent(final int veventqId, final MutableDirectBuffer buffer, final int offset)
        {
            calls.add("readVevent " + veventqId + " " + offset);
            return 17;
        }

        @Override
        public void destroy(final int id)
        {
            calls.add("destroy " + id);
        }

        @Override
        public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
        {
            calls.add("invalidate " + offset);
            return 18;
        }

        @Override
        public void close()
        {
            calls.add("close");
        }
    }
}
