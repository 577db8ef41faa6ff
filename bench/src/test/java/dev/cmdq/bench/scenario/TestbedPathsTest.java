package dev.cmdq.bench.scenario;

import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wired system's counts per unmap against counts derived by hand from the documents, not from the
 * code: linux-unmap-sequences.md §3 (n = buffer / 4 KiB TLBIs without RIL, one range TLBI with RIL for a
 * power-of-two page count), §5 (ATS: one ATC_INV then its own sync), smmuv3-cmdq.md / vcmdq-viommu.md §5.1
 * (each sync'd group is one PROD write and one CONS poll exit; per-command forwarding: one ioctl and one
 * host CMD_SYNC per forwarded command; batched: one ioctl per group, a host sync per 63 commands; VCMDQ:
 * nothing traps, the SMMU executes the guest's commands and syncs). And a warm unmap allocates nothing.
 */
class TestbedPathsTest
{
    /** Counts per unmap: exits, syscalls, host syncs, guest commands, guest syncs, hardware commands. */
    private static long[] expected(final PathKind kind, final long bytes, final boolean ril, final boolean ats)
    {
        final long tlbis = ril ? 1 : bytes / 0x1000;
        final long groups = ats ? 2 : 1;
        final long commands = tlbis + (ats ? 1 : 0);
        return switch (kind)
        {
            case TRAPPED_PER_COMMAND -> new long[] {2 * groups, commands, commands, commands, groups, 2 * commands};
            case TRAPPED_BATCHED ->
            {
                final long hostSyncs = (tlbis + 62) / 63 + (ats ? 1 : 0);
                yield new long[] {2 * groups, groups, hostSyncs, commands, groups, commands + hostSyncs};
            }
            case VCMDQ -> new long[] {0, 0, 0, commands, groups, commands + groups};
        };
    }

    static Stream<Arguments> rows()
    {
        final List<Arguments> rows = new ArrayList<>();
        for (final PathKind kind : PathKind.values())
        {
            for (final long bytes : new long[] {0x1000, 0x4_0000})
            {
                for (final boolean ril : new boolean[] {false, true})
                {
                    for (final boolean ats : new boolean[] {false, true})
                    {
                        rows.add(Arguments.of(kind, bytes, ril, ats));
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} bytes ril={2} ats={3}")
    @MethodSource("rows")
    void countsPerUnmapAreTheDocumentsOnes(final PathKind kind, final long bytes, final boolean ril, final boolean ats)
    {
        final Workload w = new Workload(bytes, 2, ril, ats);
        try (UnmapPath path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE).open(kind, w, CostProfile.ZERO, TimingMode.SIMULATED))
        {
            final PathResult r = new SimulatedRunner(2, 20, 11).run(path, kind, w, CostProfile.ZERO, Progress.NONE);
            final long[] want = expected(kind, bytes, ril, ats);
            for (int c = 0; c < PathCounts.SIZE; c++)
            {
                assertEquals((double)want[c], r.perUnmap(c), 1e-9, PathCounts.name(c));
            }
            assertEquals(40, r.unmaps());
        }
    }

    @ParameterizedTest
    @EnumSource(PathKind.class)
    void aBackgroundStepIsOneTrappedFourKUnmapAndStaysOutOfTheMeasuredCounts(final PathKind kind)
    {
        final Workload w = new Workload(0x4_0000, 2, false, false);
        try (UnmapPath path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE, true).open(kind, w, CostProfile.ZERO, TimingMode.SIMULATED))
        {
            final PathCounts step = new PathCounts();
            path.background(0, step);
            // 4 KiB on the trapped per-command path: PROD write + CONS poll, one ioctl, one host sync, TLBI + sync executed.
            assertEquals(2, step.get(PathCounts.EXITS));
            assertEquals(1, step.get(PathCounts.SYSCALLS));
            assertEquals(1, step.get(PathCounts.HOST_SYNCS));
            assertEquals(2, step.get(PathCounts.HW_COMMANDS));
            // 10,000 per ms of virtual time (the model's own CPU time): as many background steps as the background VM can run.
            final SimulatedRunner.Session session = new SimulatedRunner(2, 20, 11, 10_000).session(path, kind, w, CostProfile.ZERO, Progress.NONE);
            session.warmUp();
            session.measure(20);
            final PathResult r = session.result();
            // How many ran depends on the measured CPU times (the background VM is busy as long as its step takes).
            assertTrue(session.backgroundSteps() > 0, "background steps " + session.backgroundSteps());
            final long[] want = expected(kind, 0x4_0000, false, false);
            for (int c = 0; c < PathCounts.SIZE; c++)
            {
                assertEquals((double)want[c], r.perUnmap(c), 1e-9, PathCounts.name(c));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void withoutBackgroundTrafficABackgroundStepIsRefused()
    {
        final Workload w = new Workload(0x1000, 1, false, false);
        try (UnmapPath path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE).open(PathKind.VCMDQ, w, CostProfile.ZERO, TimingMode.SIMULATED))
        {
            org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> path.background(0, new PathCounts()));
        }
    }

    @ParameterizedTest
    @EnumSource(HostCmdqStrategy.class)
    void everyHostStrategyGivesTheSameCountsWhenNothingRunsConcurrently(final HostCmdqStrategy strategy)
    {
        // Inline, one step at a time: no two host calls overlap, so no strategy has anything to coalesce.
        for (final PathKind kind : new PathKind[] {PathKind.TRAPPED_PER_COMMAND, PathKind.TRAPPED_BATCHED})
        {
            final Workload w = new Workload(0x4_0000, 2, false, false);
            try (UnmapPath path = new TestbedPaths(strategy).open(kind, w, CostProfile.ZERO, TimingMode.SIMULATED))
            {
                final PathResult r = new SimulatedRunner(1, 10, 3).run(path, kind, w, CostProfile.ZERO, Progress.NONE);
                final long[] want = expected(kind, 0x4_0000, false, false);
                for (int c = 0; c < PathCounts.SIZE; c++)
                {
                    assertEquals((double)want[c], r.perUnmap(c), 1e-9, strategy + " " + kind.label() + " " + PathCounts.name(c));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PathKind.class)
    void theWiredSystemGivesTheSameStepsForTheSameSeedWhateverTheCosts(final PathKind kind)
    {
        final Workload w = new Workload(0x1_0000, 2, true, true);
        final CostProfile heavy = new CostProfile("heavy", 5_000, 500, 50, 1_000, List.of());
        final long[] digests = new long[3];
        final CostProfile[] costs = {CostProfile.ZERO, heavy, CostProfile.ZERO};
        final long[] seeds = {17, 17, 18};
        for (int i = 0; i < 3; i++)
        {
            try (UnmapPath path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE).open(kind, w, costs[i], TimingMode.SIMULATED))
            {
                digests[i] = new SimulatedRunner(2, 50, seeds[i]).run(path, kind, w, costs[i], Progress.NONE).digest();
            }
        }
        assertEquals(digests[0], digests[1], "same seed, other costs: same order, IOVAs and counts");
        assertTrue(digests[0] != digests[2], "another seed, another order");
    }

    @ParameterizedTest
    @EnumSource(PathKind.class)
    void aWarmInlineUnmapAndBackgroundStepAllocateNothing(final PathKind kind)
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        final Workload w = new Workload(0x1_0000, 2, false, true);
        try (UnmapPath path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE, true).open(kind, w, CostProfile.ZERO, TimingMode.SIMULATED))
        {
            final PathCounts counts = new PathCounts();
            final PathCounts background = new PathCounts();
            final long[] iova = {IovaSequence.BASE};
            final Runnable loop = () ->
            {
                for (int i = 0; i < 50; i++)
                {
                    path.unmap(i & 1, iova[0]);
                    path.background(i, background);
                    path.readCounters(counts);
                    iova[0] += w.bufferBytes();
                }
            };
            assertEquals(0, AllocationProbe.bytesOnceWarm(loop, 100, 3), kind.label());
        }
    }
}
