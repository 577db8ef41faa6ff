/**
 * Ring benchmarks: the cmdq single-writer ring against JCTools SPSC and Agrona one-to-one, single
 * thread (cost per entry) and two threads (throughput next to the placement probe), and the
 * CMD_SYNC-style completion wait against a ping-pong round trip.
 */
package dev.cmdq.bench.ring;
