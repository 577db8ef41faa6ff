/**
 * jcstress tests (at most 2 actors: the machine has 2 CPUs) of the producer/consumer memory ordering,
 * run and read by {@link dev.cmdq.queue.jcstress.JcstressRunTest}: jcstress never exits non-zero, so the
 * JUnit side parses its report.
 */
package dev.cmdq.queue.jcstress;
