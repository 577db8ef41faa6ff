package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A finished {@code cmdq compare} run as its writers see it: the settings, the rows, and the facts of
 * the machine and build the numbers depend on.
 *
 * @param settings     the run's parameters (costs included).
 * @param rows         one per (threads, granule).
 * @param cores        available processors.
 * @param busyActors   threads that would spin in real mode (guest threads of the largest row, engines).
 * @param gitRevision  {@code git rev-parse HEAD} of the working tree, or "unknown".
 * @param systemLines  what the wired system assumes (hardware policy, topology, host strategy).
 * @param predicted    true when the costs are the published profile and the rows are predictions.
 */
public record CompareReport(
    CompareSettings settings,
    List<CompareRow> rows,
    int cores,
    int busyActors,
    String gitRevision,
    List<String> systemLines,
    boolean predicted)
{
    /**
     * Copies the lists.
     */
    public CompareReport
    {
        rows = List.copyOf(rows);
        systemLines = List.copyOf(systemLines);
    }

    /**
     * @return true when real mode would give every busy actor a core.
     */
    public boolean coresSuffice()
    {
        return cores >= busyActors;
    }

    /**
     * @return the header lines every output starts with: mode and whether it is meaningful here, costs,
     *         what is measured and what is modelled.
     */
    public List<String> header()
    {
        final List<String> lines = new ArrayList<>();
        final CompareSettings s = settings;
        lines.add("mode: " + s.mode().name().toLowerCase(Locale.ROOT) + "; cores=" + cores + ", busy actors=" +
            busyActors + (coresSuffice() ? " (real mode meaningful here)" : " (fewer cores than busy actors: real mode NOT meaningful here)"));
        if (s.mode() == TimingMode.SIMULATED)
        {
            lines.add("measured: CPU time of each inline unmap (guest + VMM + host + SMMU model on one thread); modelled: " +
                "the costs below, lock and engine waits on per-vCPU virtual clocks; " + s.warmupRounds() + " warm-up + " +
                s.rounds() + " measured rounds per path and row");
        }
        else
        {
            lines.add("measured: wall time of each unmap on real threads (engine threaded); modelled costs busy-waited where they occur; " +
                s.warmupNs() / 1_000_000 + " ms warm-up + " + s.durationNs() / 1_000_000 + " ms measured per path and row");
        }
        lines.add("costs " + s.costs());
        lines.add("options: range-inv=" + onOff(s.rangeInvalidation()) + " ats=" + onOff(s.ats()) + " host-strategy=" +
            s.hostStrategy() + " host-load=" + s.hostLoad() + " seed=" + s.seed() + " git=" + gitRevision);
        if (s.mode() == TimingMode.SIMULATED && "DISPATCH_THREAD".equals(s.hostStrategy()))
        {
            lines.add("host strategy DISPATCH_THREAD runs its writer on a thread of its own: a trapped step's measured time " +
                "includes the hand-off to it (wall time, not inline CPU time)");
        }
        if (s.costs().isZero())
        {
            lines.add("all modelled costs are 0: compare only the speed-up columns with the published ones, never the microseconds");
        }
        return lines;
    }

    /**
     * @return what the timing mode assumes and leaves out, for the report files.
     */
    public List<String> modelAssumptions()
    {
        final List<String> lines = new ArrayList<>();
        if (settings.mode() == TimingMode.SIMULATED)
        {
            lines.add("each round every vCPU runs one unmap, in an order drawn from the seed; a contended resource is granted in that order, not by arrival time");
            lines.add("a trapped step holds the vSMMU lock (QEMU's big lock) from its start until the host's sync returned, all of its exits included");
            lines.add("the hardware time of a step (hwCmdNs x commands the SMMU executed) is charged after its CPU time, as one block on the one SMMU engine");
            lines.add("the measured CPU time of a step is the inline system's: guest driver, VMM, host and SMMU model on one thread");
        }
        else
        {
            lines.add("one platform thread per vCPU and one engine thread; latency is wall time including preemption by other threads on the machine");
            lines.add("modelled costs are busy-waited on the thread where they occur");
        }
        lines.add("one VM, one device, one physical SMMU with CMDQV; the VCMDQ path uses 2 guest VCMDQs (vCPU c on c % 2)");
        if (settings.hostLoad() > 0)
        {
            lines.add("background: " + settings.hostLoad() + " 4K unmaps per millisecond of virtual time by a second, trapped " +
                "per-command VM (one TLBI + one host CMD_SYNC each on the main CMDQ), on an actor of its own that shares only " +
                "the SMMU engine; each runs before the first vCPU step ready after it is due");
        }
        lines.add("not modelled: the host kernel's own traffic on the main CMDQ (background comes from a second VM), " +
            "the effect of invalidations on caches");
        return lines;
    }

    private static String onOff(final boolean b)
    {
        return b ? "on" : "off";
    }
}
