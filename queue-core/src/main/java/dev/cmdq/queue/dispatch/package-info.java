/**
 * Single-writer dispatch: for each ring exactly one writer owns the producer side, and every caller
 * hands its batch to it.
 *
 * <p>Owns: the writer's work loop as an Agrona {@code Agent} ({@link dev.cmdq.queue.dispatch.Dispatcher}:
 * copy, publish PROD once per drain, one coalesced sync per group, CERROR_ATC_INV_SYNC retry), the
 * handoff records ({@code DispatchRequest}) and the {@link dev.cmdq.queue.issue.CommandIssuer} over it
 * ({@link dev.cmdq.queue.dispatch.DispatchIssuer}) with its two ways of running the writer
 * ({@link dev.cmdq.queue.dispatch.DispatchMode}: a dedicated thread, or combining).
 *
 * <p>Assumes: nothing else writes the ring or PROD while a dispatcher runs; a GERROR handler (such as
 * {@code CommandErrorRecovery}) repairs command errors other than CERROR_ATC_INV_SYNC. Knows no SMMU
 * opcode: completion entries come from a {@link dev.cmdq.queue.CompletionEntry}.
 */
package dev.cmdq.queue.dispatch;
