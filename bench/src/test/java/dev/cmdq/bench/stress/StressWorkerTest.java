package dev.cmdq.bench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;

import dev.cmdq.vcmdq.hw.cache.SmmuCaches;
import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.GuestPath;
import dev.cmdq.vcmdq.testbed.Platform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Negative controls: the worker's checks catch what they claim to. An entry removed behind a VM's back
 * (what a cross-VM invalidation would do) is a violation; a VMID already held by a live VM is one; a
 * command the SMMU lost or executed twice breaks the exactly-once books of the owner it names, on every path.
 */
class StressWorkerTest
{
    @ParameterizedTest
    @EnumSource(GuestPath.class)
    void anEntryRemovedBehindTheVmsBackIsACrossVmViolation(final GuestPath path)
    {
        final SmmuCaches[] caches = StressRun.newCaches();
        final ExecutionLedger ledger = new ExecutionLedger(2);
        try (Platform platform = StressRun.platform(ledger, caches, UnaryOperator.identity()).engineMode(EngineMode.INLINE).build())
        {
            final StressCounts counts = new StressCounts();
            final VmSlot slot = new VmSlot(0, 1, path);
            final StressWorker worker = new StressWorker(platform, caches, ledger, counts, new VmidRegistry(),
                new DevicePool(platform, 0x400), new VmSlot[] {slot}, 11);
            for (int i = 0; i < 200 && slot.tlbCount + slot.atcCount == 0; i++)
            {
                worker.step();
            }
            assertTrue(slot.tlbCount + slot.atcCount > 0, "the VM planted entries");
            assertEquals(0, counts.get(StressCounts.VIOLATIONS), String.valueOf(counts.samples()));
            platform.gate(1).access(() ->
            {
                caches[1].tlb().clear();
                caches[1].atc().clear();
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
        final SmmuCaches[] caches = StressRun.newCaches();
        final ExecutionLedger ledger = new ExecutionLedger(2);
        try (Platform platform = StressRun.platform(ledger, caches, UnaryOperator.identity()).engineMode(EngineMode.INLINE).build())
        {
            final StressCounts counts = new StressCounts();
            final VmidRegistry registry = new VmidRegistry();
            // the host's first VMID on an SMMU is 1 (host package doc): pretend a live VM holds it
            registry.claim(0, 1, "ghost");
            new StressWorker(platform, caches, ledger, counts, registry, new DevicePool(platform, 0x400),
                new VmSlot[] {new VmSlot(0, 0, path)}, 3);
            assertEquals(1, counts.get(StressCounts.VIOLATIONS), String.valueOf(counts.samples()));
            assertTrue(counts.samples().get(0).contains("(ghost)"), counts.samples().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(GuestPath.class)
    void aDroppedAtcInvBreaksItsDevicesBooks(final GuestPath path)
    {
        // the 5th ATC_INV (opcode 0x40, smmuv3-cmdq.md) never executes: the pSID it names must come up one short
        final CommandFault fault = new CommandFault(CommandFault.Mode.DROP, 0x40, 5);
        final String sample = exactlyOnceViolation(path, fault);
        final long psid = fault.faultedDword0() >>> 32;
        assertTrue(sample.contains("pSID-named commands of psid 0x" + Long.toHexString(psid) + " for "), sample);
        assertTrue(sample.contains(": vm0."), sample);
    }

    @ParameterizedTest
    @EnumSource(GuestPath.class)
    void aDuplicatedTlbiBreaksItsVmsBooks(final GuestPath path)
    {
        // the 5th TLBI_NH_ASID (0x11) executes twice: the VM's VMID (dword 0 bits 47:32) must come up one over
        final CommandFault fault = new CommandFault(CommandFault.Mode.DUPLICATE, 0x11, 5);
        final String sample = exactlyOnceViolation(path, fault);
        final long vmid = (fault.faultedDword0() >>> 32) & 0xFFFF;
        assertTrue(sample.contains("VMID-named commands of vmid " + vmid + " for "), sample);
        assertTrue(sample.contains(": vm0."), sample);
    }

    /** Runs one VM (slot 0 on SMMU 1) with the fault until it fired, tears it down, returns the exactly-once sample. */
    private static String exactlyOnceViolation(final GuestPath path, final CommandFault fault)
    {
        final SmmuCaches[] caches = StressRun.newCaches();
        final ExecutionLedger ledger = new ExecutionLedger(2);
        try (Platform platform = StressRun.platform(ledger, caches, fault).engineMode(EngineMode.INLINE).build())
        {
            final StressCounts counts = new StressCounts();
            final VmSlot slot = new VmSlot(0, 1, path);
            final StressWorker worker = new StressWorker(platform, caches, ledger, counts, new VmidRegistry(),
                new DevicePool(platform, 0x400), new VmSlot[] {slot}, 5);
            for (int i = 0; i < 2000 && fault.faultedSmmu() == CommandFault.NONE; i++)
            {
                worker.step();
            }
            assertEquals(1, fault.faultedSmmu(), "the fault fired on the VM's SMMU");
            final long before = counts.get(StressCounts.SETTLED_OWNERS);
            worker.finish();
            assertTrue(counts.get(StressCounts.SETTLED_OWNERS) > before, "the teardown settled the VM's owners");
            String found = null;
            for (final String sample : counts.samples())
            {
                if (sample.startsWith("exactly-once: smmu 1 executed ") && sample.contains("(lost or duplicated)"))
                {
                    assertNull(found, "one owner's books broke, not two: " + counts.samples());
                    found = sample;
                }
            }
            assertNotNull(found, String.valueOf(counts.samples()));
            return found;
        }
    }
}
