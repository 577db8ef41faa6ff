/**
 * The spin-lock baseline for multi-producer insertion
 * ({@link dev.cmdq.queue.spin.SpinLockIssuer}): what the Linux driver did before its lock-free
 * algorithm (one lock around reserve, write and publish), written carefully so that comparisons with it
 * are fair.
 */
package dev.cmdq.queue.spin;
