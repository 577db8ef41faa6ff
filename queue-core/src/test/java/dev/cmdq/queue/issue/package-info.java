/**
 * Suites that run every {@link dev.cmdq.queue.issue.CommandIssuer} strategy through the same checks —
 * listed once in {@link dev.cmdq.queue.issue.IssuerFactories} — plus the tests of this package's own
 * classes. The multi-producer stress harness ({@link dev.cmdq.queue.issue.IssuerStress}) is shared with
 * the strategies' negative controls.
 */
package dev.cmdq.queue.issue;
