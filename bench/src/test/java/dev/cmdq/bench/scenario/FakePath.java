package dev.cmdq.bench.scenario;

import java.util.List;

/**
 * A path without a system, for the runner, timeline, profile and report tests: per unmap it counts as a
 * formula of the buffer's pages says (exits 2 on trapped paths, syscalls = pages on trapped paths, host
 * syncs = syscalls, guest commands = pages + 1 sync, hardware commands = 2 x pages on trapped paths and
 * pages + 1 on VCMDQ) and burns no CPU beyond the call. Records the order of (vCPU, IOVA) it was called in.
 */
final class FakePath implements UnmapPath
{
    private final PathKind kind;
    private final long pages;
    private final long[] order;
    private int calls;
    private final PathCounts counts = new PathCounts();

    FakePath(final PathKind kind, final Workload workload, final int record)
    {
        this.kind = kind;
        this.pages = workload.pages();
        this.order = new long[record * 2];
    }

    @Override
    public void unmap(final int vcpu, final long iova)
    {
        if (calls * 2 < order.length)
        {
            order[calls * 2] = vcpu;
            order[calls * 2 + 1] = iova;
        }
        calls++;
        add(PathCounts.GUEST_COMMANDS, pages);
        add(PathCounts.GUEST_SYNCS, 1);
        if (kind.trapped())
        {
            add(PathCounts.EXITS, 2);
            add(PathCounts.SYSCALLS, pages);
            add(PathCounts.HOST_SYNCS, pages);
            add(PathCounts.HW_COMMANDS, 2 * pages);
        }
        else
        {
            add(PathCounts.HW_COMMANDS, pages + 1);
        }
    }

    /** Background step: 2 exits, 1 syscall, 1 host sync, 2 hardware commands, also added to the shared ones. */
    @Override
    public void background(final long seq, final PathCounts into)
    {
        into.set(PathCounts.EXITS, 2);
        into.set(PathCounts.SYSCALLS, 1);
        into.set(PathCounts.HOST_SYNCS, 1);
        into.set(PathCounts.HW_COMMANDS, 2);
        add(PathCounts.HOST_SYNCS, 1);
        add(PathCounts.HW_COMMANDS, 2);
    }

    @Override
    public void readCounters(final PathCounts into)
    {
        into.copyFrom(counts);
    }

    @Override
    public List<String> describe()
    {
        return List.of("fake path " + kind.label());
    }

    @Override
    public void close()
    {
    }

    long[] order()
    {
        return order.clone();
    }

    private void add(final int counter, final long n)
    {
        counts.set(counter, counts.get(counter) + n);
    }

    /** A factory of fake paths, each recording its first 64 calls. */
    static final class Factory implements PathFactory
    {
        @Override
        public UnmapPath open(final PathKind kind, final Workload workload, final CostProfile costs, final TimingMode mode)
        {
            return new FakePath(kind, workload, 64);
        }

        @Override
        public int extraBusyActors(final TimingMode mode)
        {
            return 1;
        }
    }
}
