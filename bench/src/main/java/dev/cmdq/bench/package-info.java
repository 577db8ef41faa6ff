/**
 * The benchmark suite (JMH, one class per measured concern, e.g.
 * {@link dev.cmdq.bench.CommandCodecBenchmark}) and its support: fork flags
 * ({@link dev.cmdq.bench.JvmFlags}), running JMH from the command line, and result tables. Sub-packages
 * hold benchmarks by subject; the command line lives in {@code cli}.
 */
package dev.cmdq.bench;
