/**
 * The contract every multi-producer insertion strategy implements ({@link dev.cmdq.queue.issue.CommandIssuer})
 * and what callers build on it: result codes and Linux's 64-command batch API.
 */
package dev.cmdq.queue.issue;
