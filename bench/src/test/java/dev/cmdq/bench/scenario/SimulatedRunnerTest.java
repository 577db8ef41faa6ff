package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulated time over the fake path: same seed, same order and counts whatever the costs; counts per
 * unmap as the fake's formula; the vSMMU lock serialises two trapped vCPUs and not two VCMDQ ones.
 */
class SimulatedRunnerTest
{
    private static final Workload TWO = new Workload(0x4000, 2, false, false);
    private static final CostProfile HEAVY = new CostProfile("heavy", 10_000, 1_000, 100, 2_000, List.of());

    private static PathResult run(final long seed, final CostProfile costs, final FakePath path, final PathKind kind, final Workload w)
    {
        return new SimulatedRunner(5, 200, seed).run(path, kind, w, costs, Progress.NONE);
    }

    @Test
    void theSameSeedGivesTheSameOrderIovasAndCountsWhateverTheCosts()
    {
        final FakePath a = new FakePath(PathKind.TRAPPED_PER_COMMAND, TWO, 64);
        final FakePath b = new FakePath(PathKind.TRAPPED_PER_COMMAND, TWO, 64);
        final PathResult ra = run(42, CostProfile.ZERO, a, PathKind.TRAPPED_PER_COMMAND, TWO);
        final PathResult rb = run(42, HEAVY, b, PathKind.TRAPPED_PER_COMMAND, TWO);
        assertArrayEquals(a.order(), b.order());
        assertEquals(ra.digest(), rb.digest());
        assertEquals(400, ra.unmaps());
        assertEquals(400, rb.unmaps());
    }

    @Test
    void runningInBlocksGivesTheSameStepsAsOneGo()
    {
        final FakePath a = new FakePath(PathKind.TRAPPED_BATCHED, TWO, 64);
        final FakePath b = new FakePath(PathKind.TRAPPED_BATCHED, TWO, 64);
        final PathResult whole = run(9, CostProfile.ZERO, a, PathKind.TRAPPED_BATCHED, TWO);
        final SimulatedRunner.Session s = new SimulatedRunner(5, 200, 9).session(b, PathKind.TRAPPED_BATCHED, TWO, CostProfile.ZERO, Progress.NONE);
        s.warmUp();
        for (int i = 0; i < 8; i++)
        {
            s.measure(25);
        }
        assertEquals(whole.digest(), s.result().digest());
        assertEquals(whole.unmaps(), s.result().unmaps());
        assertArrayEquals(a.order(), b.order());
    }

    @Test
    void backgroundStepsNeverLeakIntoTheMeasuredCounts()
    {
        final PathResult quiet = run(4, CostProfile.ZERO, new FakePath(PathKind.VCMDQ, TWO, 0), PathKind.VCMDQ, TWO);
        // 10,000 per ms: one due every 100 ns of virtual time, i.e. several between two steps of the fake.
        final PathResult loaded = new SimulatedRunner(5, 200, 4, 10_000)
            .run(new FakePath(PathKind.VCMDQ, TWO, 0), PathKind.VCMDQ, TWO, CostProfile.ZERO, Progress.NONE);
        assertEquals(quiet.digest(), loaded.digest(), "same steps, same counts per step");
        assertEquals(5.0, loaded.perUnmap(PathCounts.HW_COMMANDS), "16 KiB on VCMDQ: 4 + 1, no background command");
        assertEquals(0.0, loaded.perUnmap(PathCounts.HOST_SYNCS));
    }

    @Test
    void backgroundTrafficMakesVcmdqWaitForTheEngineWhenHardwareTimeIsModelled()
    {
        final CostProfile hw = new CostProfile("hw", 0, 0, 1_000, 0, List.of());
        final Workload one = new Workload(0x1000, 1, false, false);
        final PathResult quiet = new SimulatedRunner(0, 100, 4, 0)
            .run(new FakePath(PathKind.VCMDQ, one, 0), PathKind.VCMDQ, one, hw, Progress.NONE);
        // 1,000 per ms: a background step of 2 commands (2 us of engine) due every 1 us, so as often as the
        // background VM can (every 2 us and more): the engine is busy about half the time with it.
        final SimulatedRunner.Session s = new SimulatedRunner(0, 100, 4, 1_000)
            .session(new FakePath(PathKind.VCMDQ, one, 0), PathKind.VCMDQ, one, hw, Progress.NONE);
        s.measure(100);
        final PathResult loaded = s.result();
        assertEquals(0.0, quiet.engineWaitPerUnmapNs(), 1e-9);
        assertTrue(s.backgroundSteps() >= 40, "background steps " + s.backgroundSteps());
        assertEquals(s.backgroundSteps(), loaded.backgroundSteps());
        // At most one step per 2 us (its own 2 us of hardware): at most ~500 per ms whatever was asked.
        assertTrue(loaded.backgroundPerMs() > 100 && loaded.backgroundPerMs() <= 510, "rate " + loaded.backgroundPerMs());
        assertTrue(loaded.engineWaitPerUnmapNs() > 1_000, "waited " + loaded.engineWaitPerUnmapNs());
        assertTrue(loaded.medianUs() > quiet.medianUs() + 1, loaded.medianUs() + " vs " + quiet.medianUs());
    }

    @Test
    void anotherSeedGivesAnotherOrder()
    {
        final FakePath a = new FakePath(PathKind.VCMDQ, TWO, 64);
        final FakePath b = new FakePath(PathKind.VCMDQ, TWO, 64);
        final PathResult ra = run(1, CostProfile.ZERO, a, PathKind.VCMDQ, TWO);
        final PathResult rb = run(2, CostProfile.ZERO, b, PathKind.VCMDQ, TWO);
        assertNotEquals(ra.digest(), rb.digest());
    }

    @Test
    void countsPerUnmapAreTheFakesFormula()
    {
        final PathResult r = run(3, CostProfile.ZERO, new FakePath(PathKind.TRAPPED_BATCHED, TWO, 0), PathKind.TRAPPED_BATCHED, TWO);
        // 16 KiB = 4 pages: exits 2, syscalls 4, host syncs 4, guest 4 + 1 sync, hardware 8.
        assertEquals(2.0, r.perUnmap(PathCounts.EXITS));
        assertEquals(4.0, r.perUnmap(PathCounts.SYSCALLS));
        assertEquals(4.0, r.perUnmap(PathCounts.HOST_SYNCS));
        assertEquals(4.0, r.perUnmap(PathCounts.GUEST_COMMANDS));
        assertEquals(1.0, r.perUnmap(PathCounts.GUEST_SYNCS));
        assertEquals(8.0, r.perUnmap(PathCounts.HW_COMMANDS));
    }

    @Test
    void twoTrappedVcpusSerialiseOnTheLockAndTwoVcmdqVcpusDoNot()
    {
        final CostProfile exits = new CostProfile("exits", 10_000, 0, 0, 0, List.of());
        final Workload one = new Workload(0x4000, 1, false, false);
        final double single = run(5, exits, new FakePath(PathKind.TRAPPED_PER_COMMAND, one, 0), PathKind.TRAPPED_PER_COMMAND, one).medianUs();
        final PathResult two = run(5, exits, new FakePath(PathKind.TRAPPED_PER_COMMAND, TWO, 0), PathKind.TRAPPED_PER_COMMAND, TWO);
        // One step holds the lock ~20 us (2 exits); with two vCPUs each waits for the other's step.
        // Modelled 20 us plus the fake's measured CPU time (interpreted early on a busy machine: a few us at most).
        assertTrue(single >= 20.0 && single < 25.0, "single " + single);
        assertTrue(two.medianUs() > 1.8 * single, two.medianUs() + " vs " + single);
        assertTrue(two.lockWaitPerUnmapNs() > 15_000, "waited " + two.lockWaitPerUnmapNs());

        final CostProfile guest = new CostProfile("guest", 0, 0, 0, 20_000, List.of());
        final PathResult direct = run(5, guest, new FakePath(PathKind.VCMDQ, TWO, 0), PathKind.VCMDQ, TWO);
        assertTrue(direct.medianUs() >= 20.0 && direct.medianUs() < 25.0, "VCMDQ vCPUs share no lock: " + direct.medianUs());
        assertEquals(0.0, direct.lockWaitPerUnmapNs());
    }
}
