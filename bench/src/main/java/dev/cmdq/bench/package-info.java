/**
 * The benchmark suite (JMH) and its support: fork flags ({@link dev.cmdq.bench.JvmFlags}), running JMH
 * from the command line, and result tables. Sub-packages hold the benchmarks by subject.
 */
package dev.cmdq.bench;
