package dev.cmdq.vcmdq.vmm;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Simulated-time mode of {@link CostMeter}: a charge burns nothing; its cost is added to the calling
 * actor's virtual clock (one per thread: a vCPU, a VMM thread) and to a total, and counted. A scenario
 * then reports modelled time beside measured time without the modelled part distorting the measurement.
 *
 * <p>Each thread's clock is written only by that thread; {@link #virtualNanos()} reads the caller's own.
 * The first charge on a thread creates its clock; later charges allocate nothing.
 */
public final class VirtualClockCostMeter implements CostMeter
{
    private final ModelledCosts costs;
    private final long[] nanos = new long[CostKind.values().length];
    private final AtomicLongArray counts = new AtomicLongArray(CostKind.values().length);
    private final AtomicLongArray totalNanos = new AtomicLongArray(1);
    private final ThreadLocal<long[]> clocks = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * @param costs the cost of each kind.
     */
    public VirtualClockCostMeter(final ModelledCosts costs)
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
        clocks.get()[0] += ns;
        totalNanos.getAndAdd(0, ns);
    }

    /**
     * @return modelled nanoseconds charged on the calling thread.
     */
    public long virtualNanos()
    {
        return clocks.get()[0];
    }

    /**
     * @return modelled nanoseconds charged on every thread together.
     */
    public long totalVirtualNanos()
    {
        return totalNanos.get(0);
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
        return "VirtualClockCostMeter{" + costs + ", exits=" + count(CostKind.VM_EXIT) + ", syscalls=" +
            count(CostKind.SYSCALL) + ", virtual=" + totalVirtualNanos() + "ns}";
    }
}
