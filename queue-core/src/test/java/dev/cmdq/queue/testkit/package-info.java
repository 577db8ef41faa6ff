/**
 * Reusable test utilities for queue-core and the modules above it (shipped in the test-jar): a
 * completion entry with a tiny format of its own ({@link dev.cmdq.queue.testkit.TestCompletionEntry}),
 * the stress entry format with sequence number and checksum ({@link dev.cmdq.queue.testkit.StressEntry}),
 * the thread allocation probe ({@link dev.cmdq.queue.testkit.AllocationProbe}), and recording registers
 * and ring memory that log the order of plain and release accesses
 * ({@link dev.cmdq.queue.testkit.AccessLog}), and the runner and reader of a package's jcstress report
 * ({@link dev.cmdq.queue.testkit.JcstressReport}), and the checking device of the multi-producer
 * Lincheck tests ({@link dev.cmdq.queue.testkit.TaggedCommandDevice}).
 */
package dev.cmdq.queue.testkit;
