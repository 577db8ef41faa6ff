package dev.cmdq.vcmdq.vmm;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vSMMU counters: its totals plus the host-side costs, each a labelled Agrona counter.
 */
class VsmmuCountersTest
{
    @Test
    void totalsAndHostSideCountersAreSeparateLabelledCounters()
    {
        final UnsafeBuffer meta = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024));
        final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024));
        final VsmmuCounters counters = new VsmmuCounters(new CountersManager(meta, values), "vsmmu1");
        counters.invalidateCalls().increment();
        counters.broadcastExtraCalls().getAndAdd(3);
        assertEquals(1, counters.invalidateCalls().get());
        assertEquals(3, counters.broadcastExtraCalls().get());
        assertEquals(0, counters.totals().commands().get());
        final Set<String> labels = new HashSet<>();
        new CountersReader(meta, values).forEach((id, label) -> labels.add(label));
        assertEquals(Set.of("vsmmu1 commands", "vsmmu1 syncs", "vsmmu1 traps", "vsmmu1 errors", "vsmmu1 timeouts",
            "vsmmu1 invalidate calls", "vsmmu1 broadcast extra calls", "vsmmu1 ste reinstalls", "vsmmu1 ignored accesses"),
            labels);
    }
}
