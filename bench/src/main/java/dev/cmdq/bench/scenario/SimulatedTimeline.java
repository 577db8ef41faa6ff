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
 *  background (another VM on the main CMDQ): one step per period of virtual time, run before any vCPU
 *  step that is ready after it is due; its commands take the engine from its due time, no lock of this VM
 * </pre>
 */
public final class SimulatedTimeline
{
    private final double[] clocks;
    private final CostProfile costs;
    private double lockFreeAt;
    private double engineFreeAt;
    private final double backgroundPeriodNs;
    private double backgroundDue;
    private long backgroundSteps;
    private double lockWaitNs;
    private double engineWaitNs;

    /**
     * A timeline without background traffic.
     *
     * @param vcpus number of vCPU actors, {@code >= 1}.
     * @param costs the modelled costs.
     */
    public SimulatedTimeline(final int vcpus, final CostProfile costs)
    {
        this(vcpus, costs, 0);
    }

    /**
     * @param vcpus      number of vCPU actors, {@code >= 1}.
     * @param costs      the modelled costs.
     * @param hostLoadPerMs background steps per millisecond of virtual time, {@code >= 0} (0 = none).
     */
    public SimulatedTimeline(final int vcpus, final CostProfile costs, final double hostLoadPerMs)
    {
        if (vcpus < 1)
        {
            throw new IllegalArgumentException("vcpus=" + vcpus + " is below 1");
        }
        if (!(hostLoadPerMs >= 0) || Double.isInfinite(hostLoadPerMs))
        {
            throw new IllegalArgumentException("hostLoadPerMs=" + hostLoadPerMs + " is not a finite rate >= 0");
        }
        this.clocks = new double[vcpus];
        this.costs = costs;
        this.backgroundPeriodNs = hostLoadPerMs == 0 ? Double.POSITIVE_INFINITY : 1_000_000.0 / hostLoadPerMs;
        this.backgroundDue = hostLoadPerMs == 0 ? Double.POSITIVE_INFINITY : 0;
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
     * @param vcpu an actor.
     * @return the virtual time at which its next step is ready (its clock plus the guest's other unmap work).
     */
    public double readyAt(final int vcpu)
    {
        return clocks[vcpu] + costs.guestUnmapNs();
    }

    /**
     * @return the virtual time at which the background actor (another VM's traffic on the main CMDQ) starts
     *         its next step; infinite without background traffic.
     */
    public double backgroundDue()
    {
        return backgroundDue;
    }

    /**
     * Runs the background actor's due step: another VM's unmap whose commands reach the SMMU engine at
     * the step's due time (a periodic arrival on the engine, FIFO behind whatever holds it); it takes no
     * vSMMU lock of this VM; its own VM's CPU time, exits and syscalls only bound how soon its next step
     * can be due (one background vCPU: no two of its unmaps overlap). Placing its hardware work at the
     * due time rather than after its exits keeps every engine reservation at or before the vCPU step
     * that triggered it, so the one free-at time stays causal; a constant shift of a periodic stream
     * does not change the load it puts on the engine.
     *
     * @param cpuNs      measured CPU time of the inline step.
     * @param exits      its VM exits.
     * @param syscalls   its syscalls.
     * @param hwCommands commands the SMMU executed for it.
     */
    public void background(final double cpuNs, final long exits, final long syscalls, final long hwCommands)
    {
        final double start = backgroundDue;
        final double hwEnd = Math.max(start, engineFreeAt) + hwCommands * costs.hwCmdNs();
        if (hwCommands > 0)
        {
            engineFreeAt = hwEnd;
        }
        final double own = start + cpuNs + exits * costs.vmExitNs() + syscalls * costs.syscallNs() + (hwEnd - start);
        backgroundDue = Math.max(start + backgroundPeriodNs, own);
        backgroundSteps++;
    }

    /**
     * @return the latest vCPU clock: the virtual time the run has reached.
     */
    public double latestClock()
    {
        double latest = 0;
        for (final double c : clocks)
        {
            latest = Math.max(latest, c);
        }
        return latest;
    }

    /**
     * @return background steps run so far.
     */
    public long backgroundSteps()
    {
        return backgroundSteps;
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
