package dev.cmdq.bench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.GuestPath;
import dev.cmdq.vcmdq.testbed.Platform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Negative controls: the worker's checks catch what they claim to. An entry removed behind a VM's back
 * (what a cross-VM invalidation would do) is a violation; a VMID already held by a live VM is one.
 */
class StressWorkerTest
{
    @ParameterizedTest
    @EnumSource(GuestPath.class)
    void anEntryRemovedBehindTheVmsBackIsACrossVmViolation(final GuestPath path)
    {
        try (Platform platform = Platform.builder().smmus(2).engineMode(EngineMode.INLINE).build())
        {
            final StressCounts counts = new StressCounts();
            final VmSlot slot = new VmSlot(0, 1, path);
            final StressWorker worker = new StressWorker(platform, counts, new VmidRegistry(), new AtomicLong(0x400),
                new VmSlot[] {slot}, 11);
            for (int i = 0; i < 200 && slot.tlbCount + slot.atcCount == 0; i++)
            {
                worker.step();
            }
            assertTrue(slot.tlbCount + slot.atcCount > 0, "the VM planted entries");
            assertEquals(0, counts.get(StressCounts.VIOLATIONS), String.valueOf(counts.samples()));
            platform.withCaches(1, c ->
            {
                c.tlb().clear();
                c.atc().clear();
            });
            for (int i = 0; i < 200 && counts.get(StressCounts.VIOLATIONS) == 0; i++)
            {
                worker.step();
            }
            assertTrue(counts.get(StressCounts.VIOLATIONS) > 0, "the removal was noticed");
            assertTrue(counts.samples().get(0).contains("cross-VM effect"), counts.samples().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(value = GuestPath.class, names = {"VCMDQ", "TRAPPED_BATCHED"})
    void aVmidHeldByALiveVmIsAViolation(final GuestPath path)
    {
        try (Platform platform = Platform.builder().smmus(2).engineMode(EngineMode.INLINE).build())
        {
            final StressCounts counts = new StressCounts();
            final VmidRegistry registry = new VmidRegistry();
            // the host's first VMID on an SMMU is 1 (host package doc): pretend a live VM holds it
            registry.claim(0, 1, "ghost");
            new StressWorker(platform, counts, registry, new AtomicLong(0x400), new VmSlot[] {new VmSlot(0, 0, path)}, 3);
            assertEquals(1, counts.get(StressCounts.VIOLATIONS), String.valueOf(counts.samples()));
            assertTrue(counts.samples().get(0).contains("(ghost)"), counts.samples().get(0));
        }
    }
}
