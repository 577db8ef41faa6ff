/**
 * The fuzzer's glue to the real system: a {@link dev.cmdq.bench.fuzz.FuzzTarget} over two inline
 * {@code PhysicalSmmu}s with their model caches — one fuzzed directly through its main CMDQ, a host-owned
 * and a guest-owned VCMDQ, one behind the host's {@code HostCmdq}/{@code Iommufd} that the VMM's trap
 * handler forwards the guest's trapped CMDQ to.
 *
 * <p>Owns: {@link dev.cmdq.bench.fuzz.system.SystemFuzzTarget} (the wiring),
 * {@code DeviceQueueFeed} (one engine-consumed queue behind a {@code SingleWriterProducer}),
 * {@code TrappedQueueFeed} (the guest CMDQ behind {@code Vsmmu.mmioWrite}), {@code CountingExecution}
 * (how many commands the caches accepted).
 *
 * <p>Assumptions: everything runs on the fuzzing thread (inline engines), so outcomes and counts are
 * deterministic per seed; one command is in flight per queue; the observed trap action is inferred from
 * the vSMMU's counters and the host caches, never from the trap handler's table. This package may use
 * every layer (it is test equipment); the oracle in the parent package still uses none.
 */
package dev.cmdq.bench.fuzz.system;
