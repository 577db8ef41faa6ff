/**
 * The JMH benchmark suite (one class per measured concern, e.g.
 * {@link dev.cmdq.bench.CommandCodecBenchmark}); the command line lives in {@code cli}.
 */
package dev.cmdq.bench;
