package dev.cmdq.bench.scenario;

import dev.cmdq.vcmdq.vmm.ModelledCosts;

import java.util.List;
import java.util.Locale;

/**
 * The named, modelled costs of a run, in nanoseconds, with the assumptions they rest on. None of them
 * is measured: the VM exit and the syscall cannot be executed by the model, the SMMU's time per command
 * and the guest's unmap work other than invalidation (page-table clearing, IOVA free) are not in it.
 * Every report prints them.
 *
 * @param name         "zero" (the default: the model only counts), "published", or "custom".
 * @param vmExitNs     one VM exit and re-entry.
 * @param syscallNs    one syscall entry and return (IOMMU_HWPT_INVALIDATE).
 * @param hwCmdNs      SMMU time per executed command, syncs included.
 * @param guestUnmapNs guest CPU time per unmap outside the invalidation.
 * @param assumptions  what the values rest on, one sentence each.
 */
public record CostProfile(
    String name, double vmExitNs, double syscallNs, double hwCmdNs, double guestUnmapNs, List<String> assumptions)
{
    /** Every cost 0. */
    public static final CostProfile ZERO = new CostProfile("zero", 0, 0, 0, 0,
        List.of("all modelled costs are 0: times are the model's own measured CPU cost and waits; compare only ratios"));

    /**
     * @throws IllegalArgumentException naming a negative or non-finite cost.
     */
    public CostProfile
    {
        check("vmExitNs", vmExitNs);
        check("syscallNs", syscallNs);
        check("hwCmdNs", hwCmdNs);
        check("guestUnmapNs", guestUnmapNs);
        assumptions = List.copyOf(assumptions);
    }

    /**
     * @return true when every cost is 0.
     */
    public boolean isZero()
    {
        return vmExitNs == 0 && syscallNs == 0 && hwCmdNs == 0 && guestUnmapNs == 0;
    }

    /**
     * @return the exit and syscall costs, rounded to whole nanoseconds, for the VMM's cost meters.
     */
    public ModelledCosts modelled()
    {
        return new ModelledCosts(Math.round(vmExitNs), Math.round(syscallNs));
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "%s: vmExit=%.1fns syscall=%.1fns hwCmd=%.1fns guestUnmap=%.1fns",
            name, vmExitNs, syscallNs, hwCmdNs, guestUnmapNs);
    }

    private static void check(final String field, final double value)
    {
        if (!(value >= 0) || Double.isInfinite(value))
        {
            throw new IllegalArgumentException(field + "=" + value + " is not a finite cost >= 0");
        }
    }
}
