package dev.cmdq.bench.scenario;

import dev.cmdq.vcmdq.hw.HardwarePolicy;

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
 *  step that is ready after it is due; reserves the engine like a vCPU, takes no lock of this VM
 *  engine: {@link EngineSchedule} — a step's commands go in turns of up to 16 (the hardware model's
 *  round-robin quantum), each turn in the earliest free slot after the previous one
 * </pre>
 */
public final class SimulatedTimeline
{
    private final double[] clocks;
    private final CostProfile costs;
    private double lockFreeAt;
    private final EngineSchedule engine = new EngineSchedule();
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
        final double hw = hwCommands * costs.hwCmdNs();
        double end = issue;
        if (hw > 0)
        {
            end = reserveCommands(issue, hwCommands);
            engineWaitNs += end - hw - issue;
        }
        if (usesLock)
        {
            lockFreeAt = end;
        }
        clocks[vcpu] = end;
        engine.forget(horizon());
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
     * Runs the background actor's due step: another VM's unmap, started at {@link #backgroundDue()}; it
     * takes no vSMMU lock of this VM and reserves the SMMU engine for its hardware time once its own CPU
     * time, exits and syscalls are done; its next step is due one period after this one started or when
     * this one ended, whichever is later (one background vCPU: no two of its unmaps overlap).
     *
     * @param cpuNs      measured CPU time of the inline step.
     * @param exits      its VM exits.
     * @param syscalls   its syscalls.
     * @param hwCommands commands the SMMU executed for it.
     */
    public void background(final double cpuNs, final long exits, final long syscalls, final long hwCommands)
    {
        final double start = backgroundDue;
        final double issue = start + cpuNs + exits * costs.vmExitNs() + syscalls * costs.syscallNs();
        final double hw = hwCommands * costs.hwCmdNs();
        final double own = hw > 0 ? reserveCommands(issue, hwCommands) : issue;
        backgroundDue = Math.max(start + backgroundPeriodNs, own);
        backgroundSteps++;
    }

    /**
     * Reserves the engine for {@code commands} in turns of at most {@link HardwarePolicy#DEFAULT_QUANTUM}
     * commands, each in the first slot free after the previous turn: the engine's round-robin between
     * queues (hw package: at most a quantum of entries per queue per turn), so a long block of commands
     * does not wait for one gap that holds all of it.
     */
    private double reserveCommands(final double issue, final long commands)
    {
        double t = issue;
        long left = commands;
        while (left > 0)
        {
            final long turn = Math.min(left, HardwarePolicy.DEFAULT_QUANTUM);
            t = engine.reserve(t, turn * costs.hwCmdNs());
            left -= turn;
        }
        return t;
    }

    /** The earliest time any actor can still issue at: no engine interval before it matters any more. */
    private double horizon()
    {
        double h = backgroundDue;
        for (final double c : clocks)
        {
            h = Math.min(h, c);
        }
        return h;
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
            ", engine busy until " + engine.lastEnd() + "}";
    }
}
