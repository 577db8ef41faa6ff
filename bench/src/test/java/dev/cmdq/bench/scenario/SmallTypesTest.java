package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small value types of the package: their checks name the offending field and value; IOVAs are
 * size-aligned, per-thread and seeded; the published table is the document's (speed-ups typed from its
 * last column); the default timing mode follows the core count.
 */
class SmallTypesTest
{
    @Test
    void workloadRefusesWhatTheExperimentCannotRun()
    {
        assertEquals("bufferBytes=12288 is not a power of two in 4096..2^30",
            assertThrows(IllegalArgumentException.class, () -> new Workload(0x3000, 1, false, false)).getMessage());
        assertEquals("bufferBytes=2048 is not a power of two in 4096..2^30",
            assertThrows(IllegalArgumentException.class, () -> new Workload(0x800, 1, false, false)).getMessage());
        assertEquals("threads=0 is outside 1..64",
            assertThrows(IllegalArgumentException.class, () -> new Workload(0x1000, 0, false, false)).getMessage());
        assertEquals("256K", new Workload(0x4_0000, 1, false, false).granuleLabel());
        assertEquals("2M", new Workload(0x20_0000, 1, false, false).granuleLabel());
        assertEquals(64, new Workload(0x4_0000, 1, false, false).pages());
    }

    @Test
    void costProfileRefusesNegativeAndNonFiniteCosts()
    {
        assertEquals("hwCmdNs=-1.0 is not a finite cost >= 0",
            assertThrows(IllegalArgumentException.class, () -> new CostProfile("x", 0, 0, -1, 0, List.of())).getMessage());
        assertEquals("vmExitNs=NaN is not a finite cost >= 0",
            assertThrows(IllegalArgumentException.class, () -> new CostProfile("x", Double.NaN, 0, 0, 0, List.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CostProfile("x", 0, Double.POSITIVE_INFINITY, 0, 0, List.of()));
        final CostProfile c = new CostProfile("x", 1.4, 2.6, 0, 0, List.of());
        assertEquals(1, c.modelled().vmExitNs());
        assertEquals(3, c.modelled().syscallNs());
        assertTrue(CostProfile.ZERO.isZero());
        assertTrue(!c.isZero());
    }

    @Test
    void iovasAreSizeAlignedInsideTheThreadsWindowAndSeeded()
    {
        final IovaSequence a = new IovaSequence(5, 1, 0x4_0000);
        final IovaSequence b = new IovaSequence(5, 1, 0x4_0000);
        final IovaSequence other = new IovaSequence(6, 1, 0x4_0000);
        boolean differs = false;
        for (int i = 0; i < 1000; i++)
        {
            final long iova = a.next();
            assertEquals(0, iova % 0x4_0000, "aligned");
            assertTrue(iova >= IovaSequence.BASE + IovaSequence.WINDOW && iova + 0x4_0000 <= IovaSequence.BASE + 2 * IovaSequence.WINDOW,
                "inside vCPU 1's window: 0x" + Long.toHexString(iova));
            assertEquals(iova, b.next(), "same seed, same sequence");
            differs |= iova != other.next();
        }
        assertTrue(differs, "another seed, another sequence");
    }

    @Test
    void publishedTableIsTheDocumentsWithItsSpeedUps()
    {
        // The document's "speed-up" column, typed separately.
        final double[] speedUps = {6.7, 6.1, 7.0, 8.7, 10.4, 14.3, 13.0, 14.2, 20.3, 24.7};
        assertEquals(10, PublishedTable.ROWS.size());
        for (int i = 0; i < speedUps.length; i++)
        {
            assertEquals(speedUps[i], PublishedTable.ROWS.get(i).speedUp(), 0.05, PublishedTable.ROWS.get(i).toString());
        }
        assertEquals(443.0, PublishedTable.find(0x4_0000, 2).trappedUs());
        assertEquals(null, PublishedTable.find(0x8000, 1));
    }

    @Test
    void theDefaultModeIsRealOnlyWithACorePerBusyActor()
    {
        assertEquals(TimingMode.SIMULATED, TimingMode.defaultFor(2, 3));
        assertEquals(TimingMode.REAL, TimingMode.defaultFor(4, 3));
        assertEquals(TimingMode.REAL, TimingMode.defaultFor(3, 3));
    }

    @Test
    void theDispatchThreadIsOneMoreBusyActor()
    {
        assertEquals(1, new TestbedPaths(dev.cmdq.vcmdq.host.HostCmdqStrategy.LINUX_LOCKFREE).extraBusyActors(TimingMode.REAL));
        assertEquals(2, new TestbedPaths(dev.cmdq.vcmdq.host.HostCmdqStrategy.DISPATCH_THREAD).extraBusyActors(TimingMode.REAL));
    }

    @Test
    void pathCountsTakeDifferencesAndCopy()
    {
        final PathCounts a = new PathCounts();
        final PathCounts b = new PathCounts();
        a.set(PathCounts.EXITS, 7);
        b.copyFrom(a);
        a.set(PathCounts.EXITS, 10);
        assertEquals(3, a.since(PathCounts.EXITS, b));
        assertEquals("hwCommands", PathCounts.name(PathCounts.HW_COMMANDS));
        assertNotEquals(PathCounts.name(PathCounts.EXITS), PathCounts.name(PathCounts.SYSCALLS));
    }

    @Test
    void countingExecutionCountsCommandsAndSyncs()
    {
        final CountingExecution e = new CountingExecution(0);
        assertEquals(0, e.execute(0x11, 0));
        assertEquals(0, e.execute(0x46, 0));
        assertEquals(0, e.execute(0x12 | (0x46L << 8), 0), "0x46 in another byte is no sync");
        assertEquals(3, e.commands());
        assertEquals(1, e.syncs());
    }
}
