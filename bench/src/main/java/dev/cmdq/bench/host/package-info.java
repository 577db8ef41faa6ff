/**
 * JMH benchmarks of the host kernel model ({@code dev.cmdq.vcmdq.host}): the vSID → pSID table.
 */
package dev.cmdq.bench.host;
