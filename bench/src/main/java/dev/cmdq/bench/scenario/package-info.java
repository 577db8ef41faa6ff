/**
 * The scenario runner behind {@code cmdq compare}: the experiment of the published VCMDQ-vs-trap table
 * (vcmdq-viommu.md §5.2, {@code dma_map_benchmark -g granule -t threads}) replayed on three paths —
 * trapped with per-command forwarding, trapped with batched forwarding, VCMDQ direct — in simulated or
 * real time, with HdrHistogram statistics and JSON / Markdown / PNG reports.
 *
 * <p><b>Owns:</b> the workload ({@link dev.cmdq.bench.scenario.Workload}: one DMA unmap of
 * {@code granule} bytes per iteration and guest thread); the seam to the system
 * ({@link dev.cmdq.bench.scenario.UnmapPath}, {@link dev.cmdq.bench.scenario.PathFactory}: run one unmap
 * on vCPU v, report counters), wired over the vcmdq layers by
 * {@link dev.cmdq.bench.scenario.TestbedPaths}; the two timing modes
 * ({@link dev.cmdq.bench.scenario.SimulatedRunner} over
 * {@link dev.cmdq.bench.scenario.SimulatedTimeline}, {@link dev.cmdq.bench.scenario.RealRunner}); the
 * named costs ({@link dev.cmdq.bench.scenario.CostProfile}) and the published profile derived from two
 * published rows ({@link dev.cmdq.bench.scenario.PublishedProfile}); the results and their writers.
 *
 * <p><b>Simulated time</b> (the default when the machine has fewer cores than busy actors):
 * <pre>
 *  actors:    vCPU 0 .. vCPU t-1      (one virtual clock each, ns)
 *  resources: vSMMU lock              (trapped paths: QEMU's big lock; free-at time)
 *             SMMU engine             (every path: the one consumer of all queues; free-at time)
 *
 *  round r:   every vCPU runs one step, in an order drawn from the seeded random (machine independent)
 *  step:      ready  = clock[v] + guestUnmapNs                 (unmap work other than invalidation)
 *             trapped: start = max(ready, lockFreeAt)          (wait for the lock)
 *             VCMDQ:   start = ready                           (one queue per vCPU: nothing shared)
 *             cpu    = measured System.nanoTime() around the inline unmap (the only machine input)
 *             issue  = start + cpu + exits*vmExitNs + syscalls*syscallNs
 *             end    = hwCommands*hwCmdNs on the engine from issue on, in turns of 16 commands, each in
 *                      the first free slot after the previous turn
 *             trapped: lockFreeAt = end   (the vCPU holds the lock until the host's sync returned)
 *             latency = end - clock[v]; clock[v] = end
 * </pre>
 * The whole system runs inline on one thread (engines driven by the waiters' idle strategy), so every
 * step is atomic and its counts (exits, syscalls, host syncs, commands) follow from the request and the
 * path alone: the same seed gives the same order of steps, the same IOVAs and the same counts on any
 * machine; only the measured CPU costs, hence the times, vary. Simplifications, stated with every
 * report: a contended resource is granted in the round's seeded order, not by arrival time; a trapped
 * step holds the lock for all of its exits (the guest's command building inside it is counted as held);
 * the hardware time of a step is charged after its CPU time, in turns of 16 commands (the hardware model's
 * round-robin quantum), each in the earliest engine slot free for all of it
 * ({@link dev.cmdq.bench.scenario.EngineSchedule}).
 *
 * <p><b>Real time</b>: one platform thread per guest vCPU runs unmaps back to back for the duration;
 * the SMMU engine runs on its own thread; modelled costs are busy-waited where they occur
 * ({@code BusyWaitCostMeter} for exits and syscalls, the engine's execution for hardware time per
 * command, the vCPU for the guest's other unmap work); latency is the wall time of each unmap. Only
 * meaningful when the machine has at least as many cores as busy actors; every report says whether it
 * does.
 *
 * <p>Runs allocate while they set up and report, not per unmap on the inline paths (histograms are
 * pre-sized). Depends on vcmdq's public API only; knows no register offsets beyond the guest's probe.
 */
package dev.cmdq.bench.scenario;
