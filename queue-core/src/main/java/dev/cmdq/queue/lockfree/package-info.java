/**
 * Linux's lock-free multi-producer command queue insertion (smmuv3-cmdq.md §4), faithful to
 * {@code arm_smmu_cmdq_issue_cmdlist}: the packed 64-bit prod/cons word with the OWNED flag
 * ({@link dev.cmdq.queue.lockfree.ProdCons}), the per-slot valid bitmap
 * ({@link dev.cmdq.queue.lockfree.ValidMap}), owner election and gathering with {@code owner_prod}
 * hand-over, and the shared/exclusive cmdq lock with the 2026 fairness change
 * ({@link dev.cmdq.queue.lockfree.CmdqLock}), assembled in
 * {@link dev.cmdq.queue.lockfree.LinuxCmdqIssuer}.
 *
 * <p>This package owns the software queue state of a multi-producer queue (off-heap, one cache line per
 * shared word); the ring, the registers and the device are queue-core's.
 *
 * <p>The state can also live in memory the caller provides and be <em>joined</em> rather than reset
 * ({@link dev.cmdq.queue.lockfree.SharedCmdqState}, e.g. a region of a file several processes map), and
 * the issuer then tells a {@link dev.cmdq.queue.lockfree.ClaimJournal} each step of each call, so that a
 * survivor can finish the work of a caller that died ({@code dev.cmdq.queue.mapped} does both). With
 * {@link dev.cmdq.queue.lockfree.ClaimJournal#NONE}, the default, the algorithm is unchanged.
 */
package dev.cmdq.queue.lockfree;
