package dev.cmdq.vcmdq.vmm;

import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The forwarder against a scripted backend that records every IOMMU_HWPT_INVALIDATE header and entry
 * and fails where told: the uAPI header it builds (§3.7), raw words passed through untouched, broadcast
 * calls cut at the first failure, and a timeout errno counted.
 */
class InvalidationForwarderTest
{
    /** One recorded call: vIOMMU, entry count, first entry's dword0. */
    private record Call(int viommu, int count, long firstDw0, int dataType, int entryLen, int reserved, int size)
    {
    }

    /** Fails a call to {@code failViommu} after {@code failAfter} entries with {@code errno}. */
    private static final class ScriptedBackend implements IommufdBackend
    {
        final List<Call> calls = new ArrayList<>();
        int failViommu = -1;
        int failAfter;
        int errno = 5;
        int nextViommu = 100;

        @Override
        public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
        {
            final int count = header.entryNum();
            calls.add(new Call(header.hwptId(), count, entries.getLong(offset, ByteOrder.LITTLE_ENDIAN), header.dataType(),
                header.entryLen(), header.reserved(), header.sizeField()));
            if (header.hwptId() == failViommu)
            {
                header.entryNum(failAfter);
                return -errno;
            }
            return 0;
        }

        @Override
        public int allocNestParent(final int devId)
        {
            return 50 + devId;
        }

        @Override
        public int allocViommu(final ViommuType type, final int devId, final int hwptId)
        {
            return nextViommu++;
        }

        @Override
        public int allocVdevice(final int viommuId, final int devId, final long virtId)
        {
            if (devId % 2 != viommuId % 2)
            {
                // The scripted "SMMU" of a device is its parity; a vIOMMU's is its ID's parity.
                throw new dev.cmdq.vcmdq.host.IommufdException(dev.cmdq.vcmdq.host.Errno.EINVAL, "other smmu");
            }
            return 1;
        }

        @Override
        public int allocHwQueue(final int viommuId, final int type, final int index, final long iova, final long length)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int allocVeventq(final int viommuId, final int type, final int depth)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int reinstallSte(final int viommuId, final long virtId)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void mapGuestMemory(final dev.cmdq.queue.GuestMemory memory)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.cmdq.queue.QueueRegisters hwQueueRegisters(final int hwQueueId)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeHwQueueConfig(final int hwQueueId, final int config)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int hwQueueStatus(final int hwQueueId)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int readVevent(final int veventqId, final org.agrona.MutableDirectBuffer buffer, final int offset)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void destroy(final int id)
        {
        }

        @Override
        public void close()
        {
        }
    }

    private final ScriptedBackend backend = new ScriptedBackend();
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024)));
    private final VsmmuCounters counters = new VsmmuCounters(countersManager, "v");
    private final QueueCounters queue = new QueueCounters(countersManager, "v cmdq");
    private final BusyWaitCostMeter meter = new BusyWaitCostMeter(ModelledCosts.NONE);
    private final UnsafeBuffer guest = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 16));

    private VsmmuTopology fannedOutOverTwoViommus()
    {
        final VsmmuTopology topology = new VsmmuTopology(TopologyKind.FANNED_OUT, backend, "v");
        backend.nextViommu = 100;
        topology.attach(0, 0x8);           // vIOMMU 100 (even)
        backend.nextViommu = 101;
        topology.attach(1, 0x9);           // refused by 100, vIOMMU 101 (odd)
        assertEquals(2, topology.viommuCount());
        return topology;
    }

    private void entry(final int i, final long dw0)
    {
        guest.putLong(i * 16, dw0, ByteOrder.LITTLE_ENDIAN);
        guest.putLong(i * 16 + 8, 0, ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void theHeaderIsTheUapisAndRawWordsPassUntouched()
    {
        final InvalidationForwarder forwarder = new InvalidationForwarder(
            backend, fannedOutOverTwoViommus(), ForwardingPolicy.BATCHED, 8, meter, counters, queue);
        entry(0, 0x40 | (0x8L << 32));
        entry(1, 0x40 | (0x8L << 32) | (0x5L << 12));
        assertEquals(InvalidationForwarder.NO_FAILURE, forwarder.append(guest, 0, 10, 0));
        assertEquals(InvalidationForwarder.NO_FAILURE, forwarder.append(guest, 16, 11, 0));
        assertEquals(0, backend.calls.size(), "batched: nothing sent before the flush");
        assertEquals(InvalidationForwarder.NO_FAILURE, forwarder.flush());
        assertEquals(List.of(new Call(100, 2, 0x40 | (0x8L << 32), 1, 16, 0, 32)), backend.calls);
        assertEquals(1, meter.count(CostKind.SYSCALL));
    }

    @Test
    void aBroadcastFailingOnOneViommuIsSentToTheRestOnlyUpToTheFailingEntry()
    {
        final InvalidationForwarder forwarder = new InvalidationForwarder(
            backend, fannedOutOverTwoViommus(), ForwardingPolicy.BATCHED, 8, meter, counters, queue);
        for (int i = 0; i < 4; i++)
        {
            entry(i, 0x11 | ((long)i << 48));
            assertEquals(InvalidationForwarder.NO_FAILURE, forwarder.append(guest, i * 16, 20 + i, InvalidationForwarder.ALL));
        }
        backend.failViommu = 100;
        backend.failAfter = 2;
        assertEquals(22, forwarder.flush(), "guest CONS of the third entry");
        assertEquals(2, backend.calls.size());
        assertEquals(4, backend.calls.get(0).count());
        assertEquals(101, backend.calls.get(1).viommu());
        assertEquals(2, backend.calls.get(1).count(), "only the entries before the failing one");
        assertEquals(1, counters.broadcastExtraCalls().get());
        assertEquals(5, forwarder.lastErrno());
        assertEquals(0, queue.timeouts().get(), "EIO is not a timeout");
    }

    @Test
    void aTargetChangeFlushesFirstAndATimeoutIsCounted()
    {
        final InvalidationForwarder forwarder = new InvalidationForwarder(
            backend, fannedOutOverTwoViommus(), ForwardingPolicy.BATCHED, 8, meter, counters, queue);
        entry(0, 0x40 | (0x8L << 32));
        entry(1, 0x40 | (0x9L << 32));
        assertEquals(InvalidationForwarder.NO_FAILURE, forwarder.append(guest, 0, 0, 0));
        backend.failViommu = 100;
        backend.failAfter = 0;
        backend.errno = 110;
        assertEquals(0, forwarder.append(guest, 16, 1, 1), "the flush forced by the new target failed at entry 0");
        assertEquals(1, backend.calls.size());
        assertEquals(1, queue.timeouts().get());
        assertEquals(1, counters.totals().timeouts().get());
    }

    @Test
    void perCommandCallsAtEveryAppend()
    {
        final InvalidationForwarder forwarder = new InvalidationForwarder(
            backend, fannedOutOverTwoViommus(), ForwardingPolicy.PER_COMMAND, 8, meter, counters, queue);
        assertEquals(1, forwarder.capacity());
        entry(0, 0x12);
        forwarder.append(guest, 0, 0, InvalidationForwarder.ALL);
        forwarder.append(guest, 0, 1, InvalidationForwarder.ALL);
        assertEquals(4, backend.calls.size(), "two commands x two vIOMMUs");
        assertEquals(0, forwarder.pending());
        assertEquals(4, counters.invalidateCalls().get());
        assertEquals(2, counters.broadcastExtraCalls().get());
    }
}
