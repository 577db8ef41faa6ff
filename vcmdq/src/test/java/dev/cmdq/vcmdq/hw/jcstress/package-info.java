/**
 * jcstress tests (at most 2 actors: the machine has 2 CPUs) of the hardware model's publications, run and
 * read by {@link dev.cmdq.vcmdq.hw.jcstress.JcstressRunTest} through queue-core's
 * {@link dev.cmdq.queue.testkit.JcstressReport}: jcstress never exits non-zero, so the JUnit side parses
 * its report. Each state builds the smallest {@link dev.cmdq.vcmdq.hw.Cmdqv} (one VINTF, one VCMDQ); its
 * direct memory is returned by the GC, as jcstress offers no per-state close.
 */
package dev.cmdq.vcmdq.hw.jcstress;
