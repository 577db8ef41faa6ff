package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The timeline's arithmetic against hand-computed timelines (package doc's formula worked on paper).
 */
class SimulatedTimelineTest
{
    /** exit 100, syscall 10, hw 1 per command, guest 1000. */
    private static final CostProfile COSTS = new CostProfile("t", 100, 10, 1, 1000, List.of());

    @Test
    void oneVcpuAddsEveryCostAndNeverWaits()
    {
        final SimulatedTimeline t = new SimulatedTimeline(1, COSTS);
        // 1000 guest + 50 cpu + 2*100 exits + 3*10 syscalls + 4*1 hw = 1284
        assertEquals(1284.0, t.step(0, true, 50, 2, 3, 4), 1e-9);
        assertEquals(1284.0, t.step(0, true, 50, 2, 3, 4), 1e-9, "the lock it released itself is free");
        assertEquals(2568.0, t.clock(0), 1e-9);
        assertEquals(0.0, t.lockWaitNs(), 1e-9);
        assertEquals(0.0, t.engineWaitNs(), 1e-9);
    }

    @Test
    void aSecondTrappedVcpuWaitsForTheLockUntilTheFirstStepEnds()
    {
        final SimulatedTimeline t = new SimulatedTimeline(2, COSTS);
        assertEquals(1284.0, t.step(0, true, 50, 2, 3, 4), 1e-9);
        // vCPU 1 ready at 1000, lock free at 1284: waits 284, then 284 of its own work -> ends at 1568.
        assertEquals(1568.0, t.step(1, true, 50, 2, 3, 4), 1e-9);
        assertEquals(284.0, t.lockWaitNs(), 1e-9);
        assertEquals(0.0, t.engineWaitNs(), 1e-9, "the engine was free again when vCPU 1 issued");
    }

    @Test
    void vcmdqVcpusShareOnlyTheEngine()
    {
        final CostProfile hwHeavy = new CostProfile("t", 0, 0, 100, 0, List.of());
        final SimulatedTimeline t = new SimulatedTimeline(2, hwHeavy);
        // vCPU 0: cpu 10, 5 commands -> issue 10, engine 10..510.
        assertEquals(510.0, t.step(0, false, 10, 0, 0, 5), 1e-9);
        // vCPU 1: no lock; cpu 10 -> issue 10, engine busy until 510 -> 510..1010.
        assertEquals(1010.0, t.step(1, false, 10, 0, 0, 5), 1e-9);
        assertEquals(0.0, t.lockWaitNs(), 1e-9);
        assertEquals(500.0, t.engineWaitNs(), 1e-9);
    }

    @Test
    void aStepWithoutHardwareWorkLeavesTheEngineAlone()
    {
        final CostProfile hwHeavy = new CostProfile("t", 0, 0, 100, 0, List.of());
        final SimulatedTimeline t = new SimulatedTimeline(2, hwHeavy);
        t.step(0, false, 10, 0, 0, 5);
        assertEquals(20.0, t.step(1, false, 20, 0, 0, 0), 1e-9, "no command: no wait for the engine");
    }

    @Test
    void backgroundTrafficReservesTheEngineButTakesNoLock()
    {
        // 500 background steps per ms: one due every 2000 ns, the first at 0.
        final CostProfile hwHeavy = new CostProfile("t", 1000, 0, 100, 0, List.of());
        final SimulatedTimeline t = new SimulatedTimeline(1, hwHeavy, 500);
        assertEquals(0.0, t.backgroundDue(), 1e-9);
        // Background due at 0: cpu 10 + 2 exits (2000) -> issues at 2010, engine 2010..2510; next due max(2000, 2510).
        t.background(10, 2, 1, 5);
        assertEquals(2510.0, t.backgroundDue(), 1e-9);
        // vCPU 0, trapped: the background VM's vSMMU is not its lock; cpu 10 -> issues at 10; its 500 ns fit before
        // the background's reservation: 10..510, no wait.
        assertEquals(510.0, t.step(0, true, 10, 0, 0, 5), 1e-9);
        assertEquals(0.0, t.lockWaitNs(), 1e-9);
        assertEquals(0.0, t.engineWaitNs(), 1e-9);
        // Background due at 2510, one command: 2510..2610; next due 2510 + 2000.
        t.background(0, 0, 0, 1);
        assertEquals(4510.0, t.backgroundDue(), 1e-9);
        assertEquals(2, t.backgroundSteps());
        // vCPU at 510 issues 10 later: 520..620 fits before 2510.
        assertEquals(110.0, t.step(0, false, 10, 0, 0, 1), 1e-9);
        // A step whose command would overlap the background's 2510..2610 waits for it: clock 620, issue 2500 -> 2610..2710.
        assertEquals(2090.0, t.step(0, false, 1880, 0, 0, 1), 1e-9);
        assertEquals(110.0, t.engineWaitNs(), 1e-9);
    }

    @Test
    void longBlocksOfCommandsGoInTurnsOfSixteen()
    {
        final CostProfile hw = new CostProfile("t", 0, 0, 10, 0, List.of());
        final SimulatedTimeline t = new SimulatedTimeline(1, hw, 1);
        // Background due at 0, cpu 170: its one command holds the engine 170..180.
        t.background(170, 0, 0, 1);
        // 32 commands issued at 0: turn one 0..160 fits before 170; turn two needs 160 from 160 on, which would
        // overlap 170..180, so it runs 180..340. One block of 320 would have waited until 180 (ending at 500).
        assertEquals(340.0, t.step(0, false, 0, 0, 0, 32), 1e-9);
        assertEquals(20.0, t.engineWaitNs(), 1e-9);
    }

    @Test
    void withoutHostLoadNoBackgroundStepIsEverDue()
    {
        final SimulatedTimeline t = new SimulatedTimeline(2, COSTS);
        assertEquals(Double.POSITIVE_INFINITY, t.backgroundDue());
        assertThrows(IllegalArgumentException.class, () -> new SimulatedTimeline(1, COSTS, -1));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedTimeline(1, COSTS, Double.NaN));
    }

    @Test
    void zeroVcpusAreRefused()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new SimulatedTimeline(0, COSTS));
        assertEquals("vcpus=0 is below 1", ex.getMessage());
    }
}
