package dev.cmdq.vcmdq.vmm;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * "Real" mode of {@link CostMeter}: a charge busy-waits its cost on the calling thread (the vCPU that
 * exits, the VMM thread that makes the syscall), so a measured latency contains it, and counts it. A cost
 * of 0 only counts. The wait spins with {@link Thread#onSpinWait()}: these costs are nanoseconds to a few
 * microseconds, shorter than any park.
 */
public final class BusyWaitCostMeter implements CostMeter
{
    private final ModelledCosts costs;
    private final long[] nanos = new long[CostKind.values().length];
    private final AtomicLongArray counts = new AtomicLongArray(CostKind.values().length);

    /**
     * @param costs the cost of each kind.
     */
    public BusyWaitCostMeter(final ModelledCosts costs)
    {
        this.costs = Objects.requireNonNull(costs, "costs");
        for (final CostKind kind : CostKind.values())
        {
            nanos[kind.ordinal()] = costs.nanos(kind);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void charge(final CostKind kind)
    {
        final int k = kind.ordinal();
        counts.getAndIncrement(k);
        final long ns = nanos[k];
        if (ns > 0)
        {
            final long end = System.nanoTime() + ns;
            while (System.nanoTime() - end < 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long count(final CostKind kind)
    {
        return counts.get(kind.ordinal());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public ModelledCosts costs()
    {
        return costs;
    }

    @Override
    public String toString()
    {
        return "BusyWaitCostMeter{" + costs + ", exits=" + count(CostKind.VM_EXIT) + ", syscalls=" +
            count(CostKind.SYSCALL) + "}";
    }
}
