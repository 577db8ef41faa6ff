package dev.cmdq.bench.e2e;

import dev.cmdq.bench.scenario.CostProfile;
import dev.cmdq.bench.scenario.IovaSequence;
import dev.cmdq.bench.scenario.TestbedPaths;
import dev.cmdq.bench.scenario.PathKind;
import dev.cmdq.bench.scenario.TimingMode;
import dev.cmdq.bench.scenario.UnmapPath;
import dev.cmdq.bench.scenario.Workload;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;

/**
 * One wired path for a benchmark trial, and the IOVAs its unmaps use: a pre-drawn ring of 1,024
 * size-aligned IOVAs from {@link IovaSequence}, so the measured loop draws no random numbers.
 */
final class UnmapState
{
    private static final int IOVAS = 1024;

    private final UnmapPath path;
    private final long[] iovas = new long[IOVAS];
    private int next;

    UnmapState(final PathKind kind, final long granule, final boolean rangeInvalidation, final TimingMode mode)
    {
        final Workload workload = new Workload(granule, 1, rangeInvalidation, false);
        path = new TestbedPaths(HostCmdqStrategy.LINUX_LOCKFREE).open(kind, workload, CostProfile.ZERO, mode);
        final IovaSequence sequence = new IovaSequence(42, 0, granule);
        for (int i = 0; i < IOVAS; i++)
        {
            iovas[i] = sequence.next();
        }
    }

    /** One unmap on vCPU 0 at the next IOVA. */
    void unmap()
    {
        path.unmap(0, iovas[next]);
        next = (next + 1) & (IOVAS - 1);
    }

    void close()
    {
        path.close();
    }
}
