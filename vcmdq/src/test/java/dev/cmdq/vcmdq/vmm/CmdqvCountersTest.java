package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The CMDQV counters are Agrona counters, labelled and typed, each readable through a separate
 * {@link CountersReader} over the same buffers.
 */
class CmdqvCountersTest
{
    @Test
    void countersAreLabelledAndReadableThroughAReader()
    {
        final UnsafeBuffer meta = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024));
        final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024));
        final CmdqvCounters counters = new CmdqvCounters(new CountersManager(meta, values), "vsmmu0");
        counters.hwQueueAllocs().getAndAdd(1);
        counters.hwQueueFrees().getAndAdd(2);
        counters.hostRefusals().getAndAdd(3);
        counters.errorReports().getAndAdd(4);
        counters.lostEvents().getAndAdd(5);
        counters.overflows().getAndAdd(6);
        counters.interrupts().getAndAdd(7);
        counters.maskedInterrupts().getAndAdd(8);
        counters.mappedAccesses().getAndAdd(9);
        final Map<String, Long> seen = new HashMap<>();
        final CountersReader reader = new CountersReader(meta, values);
        reader.forEach((id, typeId, key, label) ->
        {
            assertEquals(QueueCounters.TYPE_ID, typeId);
            seen.put(label, reader.getCounterValue(id));
        });
        assertEquals(Map.of("vsmmu0 cmdqv hw queue allocs", 1L, "vsmmu0 cmdqv hw queue frees", 2L,
            "vsmmu0 cmdqv host refusals", 3L, "vsmmu0 cmdqv error reports", 4L, "vsmmu0 cmdqv lost events", 5L,
            "vsmmu0 cmdqv veventq overflows", 6L, "vsmmu0 cmdqv interrupts", 7L, "vsmmu0 cmdqv masked interrupts", 8L,
            "vsmmu0 cmdqv mapped accesses", 9L), seen);
    }
}
