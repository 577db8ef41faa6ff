/**
 * jcstress tests (at most 2 actors: the machine has 2 CPUs) of the producer/consumer memory ordering and
 * of the dispatch record hand-off (whose negative control sits in {@code dev.cmdq.queue.dispatch}, next to
 * the package-private record protocol), run and read by {@link dev.cmdq.queue.jcstress.JcstressRunTest}:
 * jcstress never exits non-zero, so the JUnit side parses its report.
 */
package dev.cmdq.queue.jcstress;
