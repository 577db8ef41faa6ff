/**
 * Multi-producer insertion benchmarks: every {@link dev.cmdq.queue.issue.CommandIssuer} strategy and
 * Agrona's many-to-one ring as the peer, by producers, batch size and sync, with the device's
 * CMD_SYNC count per command.
 */
package dev.cmdq.bench.insert;
