package dev.cmdq.bench.scenario;

import java.util.Arrays;

/**
 * The virtual clocks of simulated time (package doc): one per vCPU, plus the time at which the vSMMU
 * lock and the SMMU engine are next free. A step is given what it measured and counted; the timeline
 * turns that into the step's latency under the modelled costs and the waits for the shared resources.
 * Pure arithmetic on doubles (nanoseconds); allocation-free; one thread.
 *
 * <pre>
 *  vCPU v   |-- guestUnmap --|.. wait lock ..|-- cpu + exits*e + syscalls*s --|.. wait engine ..|-- hw*h --|
 *           clock[v]         ready           start                            issue            (end)
 *  trapped: the lock is held from start to end; VCMDQ: no lock, start = ready
 *  background (another VM on the main CMDQ): starts at max(its clock, earliest vCPU clock), takes the
 *  engine for its hardware time, no lock of this VM
 * </pre>
 */
public final class SimulatedTimeline
{
    private final double[] clocks;
    private final CostProfile costs;
    private double lockFreeAt;
    private double engineFreeAt;
    private double backgroundClock;
    private double lockWaitNs;
    private double engineWaitNs;

    /**
     * @param vcpus number of vCPU actors, {@code >= 1}.
     * @param costs the modelled costs.
     */
    public SimulatedTimeline(final int vcpus, final CostProfile costs)
    {
        if (vcpus < 1)
        {
            throw new IllegalArgumentException("vcpus=" + vcpus + " is below 1");
        }
        this.clocks = new double[vcpus];
        this.costs = costs;
    }

    /**
     * Advances vCPU {@code vcpu} by one unmap.
     *
     * @param vcpu       the actor.
     * @param usesLock   the step runs under the vSMMU lock (trapped paths).
     * @param cpuNs      measured CPU time of the inline step.
     * @param exits      VM exits the step took.
     * @param syscalls   syscalls the step made.
     * @param hwCommands commands the SMMU executed for it.
     * @return the step's latency in nanoseconds (end minus the vCPU's clock before it).
     */
    public double step(
        final int vcpu, final boolean usesLock, final double cpuNs, final long exits, final long syscalls, final long hwCommands)
    {
        final double before = clocks[vcpu];
        final double ready = before + costs.guestUnmapNs();
        double start = ready;
        if (usesLock && lockFreeAt > ready)
        {
            lockWaitNs += lockFreeAt - ready;
            start = lockFreeAt;
        }
        final double issue = start + cpuNs + exits * costs.vmExitNs() + syscalls * costs.syscallNs();
        double hwStart = issue;
        if (hwCommands > 0 && engineFreeAt > issue)
        {
            engineWaitNs += engineFreeAt - issue;
            hwStart = engineFreeAt;
        }
        final double end = hwStart + hwCommands * costs.hwCmdNs();
        if (hwCommands > 0)
        {
            engineFreeAt = end;
        }
        if (usesLock)
        {
            lockFreeAt = end;
        }
        clocks[vcpu] = end;
        return end - before;
    }

    /**
     * Advances the background actor (another VM's traffic on the main CMDQ) by one step. It never runs
     * ahead of its time: it starts no earlier than the earliest vCPU clock (the round's start), takes no
     * vSMMU lock of this VM, and occupies the SMMU engine for its hardware time.
     *
     * @param cpuNs      measured CPU time of the inline step.
     * @param exits      its VM exits.
     * @param syscalls   its syscalls.
     * @param hwCommands commands the SMMU executed for it.
     */
    public void background(final double cpuNs, final long exits, final long syscalls, final long hwCommands)
    {
        double earliest = clocks[0];
        for (final double c : clocks)
        {
            earliest = Math.min(earliest, c);
        }
        final double ready = Math.max(backgroundClock, earliest);
        final double issue = ready + cpuNs + exits * costs.vmExitNs() + syscalls * costs.syscallNs();
        final double end = Math.max(issue, engineFreeAt) + hwCommands * costs.hwCmdNs();
        if (hwCommands > 0)
        {
            engineFreeAt = end;
        }
        backgroundClock = end;
    }

    /**
     * @return the background actor's virtual clock in nanoseconds.
     */
    public double backgroundClock()
    {
        return backgroundClock;
    }

    /**
     * @param vcpu an actor.
     * @return its virtual clock in nanoseconds.
     */
    public double clock(final int vcpu)
    {
        return clocks[vcpu];
    }

    /**
     * @return nanoseconds all vCPUs together waited for the vSMMU lock.
     */
    public double lockWaitNs()
    {
        return lockWaitNs;
    }

    /**
     * @return nanoseconds all vCPUs together waited for the SMMU engine.
     */
    public double engineWaitNs()
    {
        return engineWaitNs;
    }

    @Override
    public String toString()
    {
        return "SimulatedTimeline{clocks=" + Arrays.toString(clocks) + ", lockFreeAt=" + lockFreeAt +
            ", engineFreeAt=" + engineFreeAt + "}";
    }
}
