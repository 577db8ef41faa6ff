/**
 * The contract every multi-producer insertion strategy implements
 * ({@link dev.cmdq.queue.issue.CommandIssuer}) and what callers and strategies build on it: result codes
 * ({@link dev.cmdq.queue.issue.IssueStatus}), Linux's 64-command batch API
 * ({@link dev.cmdq.queue.issue.CommandBatch}), how waits back off and how long they last
 * ({@link dev.cmdq.queue.issue.WaitPolicy}), and the thread-safe completion waits
 * ({@link dev.cmdq.queue.issue.CompletionWait}, {@link dev.cmdq.queue.issue.CompletionWaiter}).
 *
 * <p>Strategies live in their own packages: Linux's lock-free algorithm in
 * {@code dev.cmdq.queue.lockfree}, the spin-lock baseline in {@code dev.cmdq.queue.spin}, single-writer
 * dispatch in {@code dev.cmdq.queue.dispatch}.
 */
package dev.cmdq.queue.issue;
