package dev.cmdq.bench.scenario;

import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real time on real threads: every unmap of every thread is recorded and the counters cover exactly the
 * measured unmaps (no timing is asserted). A failing unmap fails the run with its message.
 */
class RealRunnerTest
{
    @Test
    void twoThreadsOnTheWiredTrappedPathCountEveryMeasuredUnmap()
    {
        final Workload w = new Workload(0x4000, 2, false, false);
        final RealRunner runner = new RealRunner(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(100), 3);
        try (UnmapPath path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE)
            .open(PathKind.TRAPPED_PER_COMMAND, w, CostProfile.ZERO, TimingMode.REAL))
        {
            final PathResult r = runner.run(path, PathKind.TRAPPED_PER_COMMAND, w, CostProfile.ZERO, Progress.NONE);
            assertTrue(r.unmaps() > 0, "unmaps " + r.unmaps());
            // 16 KiB without RIL: 4 TLBIs + 1 sync per unmap, one ioctl and one host sync per TLBI, 2 exits.
            assertEquals(4.0, r.perUnmap(PathCounts.GUEST_COMMANDS), 1e-9);
            assertEquals(1.0, r.perUnmap(PathCounts.GUEST_SYNCS), 1e-9);
            assertEquals(4.0, r.perUnmap(PathCounts.SYSCALLS), 1e-9);
            assertEquals(4.0, r.perUnmap(PathCounts.HOST_SYNCS), 1e-9);
            assertEquals(8.0, r.perUnmap(PathCounts.HW_COMMANDS), 1e-9);
        }
    }

    @Test
    void aFailingUnmapFailsTheRunNamingIt()
    {
        final Workload w = new Workload(0x1000, 1, false, false);
        final UnmapPath failing = new UnmapPath()
        {
            @Override
            public void unmap(final int vcpu, final long iova)
            {
                throw new IllegalStateException("vcpu " + vcpu + " broke");
            }

            @Override
            public void background(final long seq, final PathCounts into)
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public void readCounters(final PathCounts into)
            {
            }

            @Override
            public java.util.List<String> describe()
            {
                return java.util.List.of();
            }

            @Override
            public void close()
            {
            }
        };
        final RealRunner runner = new RealRunner(0, TimeUnit.MILLISECONDS.toNanos(10), 3);
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> runner.run(failing, PathKind.VCMDQ, w, CostProfile.ZERO, Progress.NONE));
        assertTrue(ex.getMessage().contains("vcpu 0 broke"), ex.getMessage());
    }
}
