package dev.cmdq.vcmdq.vmm;

/**
 * The named, modelled costs in nanoseconds, default 0, that a {@link CostMeter} charges. They are
 * parameters, not measurements: {@link #toString()} is printed with every result so that nobody takes a
 * modelled cost for a measured one (vcmdq-viommu.md §8.9: no verified arm64 VM-exit figure exists).
 *
 * @param vmExitNs  cost of one VM exit and re-entry, {@code >= 0}.
 * @param syscallNs cost of one syscall entry and return, {@code >= 0}.
 */
public record ModelledCosts(long vmExitNs, long syscallNs)
{
    /** Every cost 0: the model charges nothing and only counts. */
    public static final ModelledCosts NONE = new ModelledCosts(0, 0);

    /**
     * @throws IllegalArgumentException naming the negative cost.
     */
    public ModelledCosts
    {
        if (vmExitNs < 0)
        {
            throw new IllegalArgumentException("vmExitNs=" + vmExitNs + " is negative");
        }
        if (syscallNs < 0)
        {
            throw new IllegalArgumentException("syscallNs=" + syscallNs + " is negative");
        }
    }

    /**
     * @param kind a cost kind.
     * @return its cost in nanoseconds.
     */
    public long nanos(final CostKind kind)
    {
        return kind == CostKind.VM_EXIT ? vmExitNs : syscallNs;
    }

    @Override
    public String toString()
    {
        return "modelled costs: vmExit=" + vmExitNs + "ns syscall=" + syscallNs + "ns";
    }
}
