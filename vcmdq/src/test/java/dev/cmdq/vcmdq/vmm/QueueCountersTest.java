package dev.cmdq.vcmdq.vmm;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The queue counters are Agrona counters: labelled, typed, and visible through a separate
 * {@link CountersReader} over the same buffers (what a monitor thread or process would use).
 */
class QueueCountersTest
{
    @Test
    void countersAreLabelledAndReadableThroughAReader()
    {
        final UnsafeBuffer meta = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024));
        final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024));
        final QueueCounters counters = new QueueCounters(new CountersManager(meta, values), "vsmmu0 cmdq");
        counters.commands().increment();
        counters.commands().increment();
        counters.syncs().increment();
        counters.traps().getAndAdd(5);
        counters.errors().increment();
        final Map<String, Long> seen = new HashMap<>();
        final CountersReader reader = new CountersReader(meta, values);
        reader.forEach((id, typeId, key, label) ->
        {
            assertEquals(QueueCounters.TYPE_ID, typeId);
            seen.put(label, reader.getCounterValue(id));
        });
        assertEquals(Map.of("vsmmu0 cmdq commands", 2L, "vsmmu0 cmdq syncs", 1L, "vsmmu0 cmdq traps", 5L,
            "vsmmu0 cmdq errors", 1L, "vsmmu0 cmdq timeouts", 0L), seen);
    }
}
