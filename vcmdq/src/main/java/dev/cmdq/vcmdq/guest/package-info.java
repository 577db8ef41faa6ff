/**
 * The guest driver model: what a Linux guest's SMMUv3 driver puts on its command queue when it unmaps
 * IOVA ranges, and how it picks that queue and waits (linux-unmap-sequences.md, smmuv3-cmdq.md §3-§4).
 *
 * <p><b>Owns:</b> the invalidation sequences, one small class per kernel function —
 * {@link dev.cmdq.vcmdq.guest.TlbInvRange} ({@code __arm_smmu_tlb_inv_range}, with and without RIL),
 * {@link dev.cmdq.vcmdq.guest.AtcInvRange} ({@code arm_smmu_atc_inv_to_cmd} and the per-device batch),
 * {@link dev.cmdq.vcmdq.guest.TlbInvAsid} ({@code arm_smmu_tlb_inv_asid}), composed per entry point by
 * {@link dev.cmdq.vcmdq.guest.GuestInvalidator} from an {@link dev.cmdq.vcmdq.guest.UnmapRequest};
 * the guest's queues ({@link dev.cmdq.vcmdq.guest.GuestSmmu}) and its per-vCPU state
 * ({@link dev.cmdq.vcmdq.guest.GuestVcpu}: the reusable 64-entry batch Linux keeps on the stack, and
 * {@link dev.cmdq.vcmdq.guest.InsertionCounter}: that vCPU's commands, syncs and insertions);
 * the unmap-sequence vectors: file, inputs, checker ({@link dev.cmdq.vcmdq.guest.UnmapVectorFile},
 * {@link dev.cmdq.vcmdq.guest.UnmapInputs}, {@link dev.cmdq.vcmdq.guest.UnmapVectorCheck},
 * {@link dev.cmdq.vcmdq.guest.IssueRecorder}; these check sequences and may allocate, the unmap path does
 * not).
 *
 * <p><b>Assumptions</b>:
 * <ul>
 *   <li>Kernel modelled: the "classic" invalidation code of released kernels up to the 6.18 line
 *       (linux-unmap-sequences.md §1, §3-§7): TTL leaf-only and the {@code pages mod 32 == 1} widening
 *       (both 2023 fixes present); no per-domain invalidation array ("arm_smmu_invs", §8), so the
 *       per-granule path is never turned into a TLBI_NH_ASID however long the range (a 1 GiB walk flush
 *       without RIL is 262,144 TLBIs, as on those kernels); no SVA pre-filter (§2).</li>
 *   <li>Stage-1 domains of a guest: TLBI_NH_VA / TLBI_NH_ASID (not the E2H host's EL2 forms, not
 *       stage 2). VMID is whatever the request carries (0 in a stock kernel).</li>
 *   <li>An ATS device has one StreamID; its ATC step follows the TLB step as a separate sync'd group.</li>
 *   <li>Queue choice as Linux's: with Tegra241 VCMDQs, vCPU {@code c} uses logical VCMDQ {@code c % N}
 *       for every command here (a guest VCMDQ accepts TLBI_NH_ASID, TLBI_NH_VA, ATC_INV and CMD_SYNC,
 *       which covers them all), with CS=NONE syncs; otherwise the vSMMU's one CMDQ, shared by all vCPUs
 *       through the lock-free insertion, with CS=SEV syncs (QEMU advertises no MSI). Completion is
 *       always seen by polling CONS with Linux's policy ({@link dev.cmdq.queue.issue.WaitPolicy}); on
 *       the trapped path each of those CONS reads is an exit, charged by the registers handed in.</li>
 *   <li>Commands travel as Linux's do: built by the smmu-commands encoders into a 16-byte slot, copied
 *       (two 8-byte moves) into the vCPU's batch, and by the insertion into the ring; they are not
 *       encoded in place in the ring.</li>
 *   <li>A failed insertion or completion wait stops the request (Linux would go on to the ATC step);
 *       the caller gets the status and may repeat the request, invalidations being idempotent.</li>
 * </ul>
 * Sees only queue-core (registers, rings, guest memory, issuers) and smmu-commands, never
 * {@code vcmdq.vmm}, {@code vcmdq.host} or {@code vcmdq.hw}: the same code runs trapped or direct.
 */
package dev.cmdq.vcmdq.guest;
