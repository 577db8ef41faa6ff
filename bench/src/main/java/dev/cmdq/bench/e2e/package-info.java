/**
 * End-to-end JMH benchmarks: one guest DMA unmap through the whole wired system
 * ({@link dev.cmdq.bench.scenario.TestbedPaths}) on each path — trapped per-command, trapped batched,
 * VCMDQ — at 4 KiB and 256 KiB, range invalidation on and off.
 *
 * <p>{@link dev.cmdq.bench.e2e.InlineUnmapBenchmark}: the SMMU engine runs inline on the benchmark
 * thread, so the score is the deterministic CPU cost of one unmap on the whole path (what simulated
 * mode measures). {@link dev.cmdq.bench.e2e.ThreadedUnmapBenchmark}: the engine runs on its own thread
 * and the guest waits by polling CONS, so the score includes a cross-thread hand-off per sync and
 * depends on where the host placed the two threads: run it together with the placement probe
 * ({@code ./cmdq jmh 'e2e|PlacementProbe'}) and compare only within one placement. Both assume no
 * modelled cost (every cost 0) and one guest thread; {@code -prof gc} shows what a warm unmap allocates
 * (0 B/op expected on every path).
 */
package dev.cmdq.bench.e2e;
