/**
 * Placement probes: measurements that say how the host placed this run's threads, reported next to
 * every two-thread result (on 2 vCPUs a cross-thread hand-off costs several times more when the vCPUs
 * are "far").
 */
package dev.cmdq.bench.probe;
