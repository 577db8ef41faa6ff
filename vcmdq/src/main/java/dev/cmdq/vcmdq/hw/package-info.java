/**
 * The hardware model: a physical SMMUv3 with its NVIDIA Tegra241 CMDQV (vcmdq-viommu.md §1).
 *
 * <p><b>Owns:</b> {@link dev.cmdq.vcmdq.hw.PhysicalSmmu} — one main CMDQ, one
 * {@link dev.cmdq.vcmdq.hw.Cmdqv} (config page with CMDQ_ALLOC, VINTF CONFIG/VMID/HYP_OWN, 16
 * SID_MATCH/SID_REPLACE slots per VINTF and the error maps, per {@link dev.cmdq.vcmdq.hw.CmdqvLayout})
 * and its {@link dev.cmdq.vcmdq.hw.Vcmdq}s (per-queue registers, {@link dev.cmdq.vcmdq.hw.VcmdqLayout});
 * {@link dev.cmdq.vcmdq.hw.SmmuEngine} — the one Agrona agent that consumes every queue of an SMMU,
 * inline ({@code AgentInvoker}) or threaded ({@code AgentRunner}); {@link dev.cmdq.vcmdq.hw.HardwarePolicy}
 * — every undocumented behaviour as a named assumption; {@link dev.cmdq.vcmdq.hw.CommandExecution} — the
 * seam to the SMMU's caches (sub-package {@code cache}, built separately), which receive each accepted,
 * substituted command as two words.
 *
 * <p><b>Assumptions</b> (each named in {@link dev.cmdq.vcmdq.hw.HardwarePolicy} and printed with every
 * report through {@link dev.cmdq.vcmdq.hw.HardwarePolicy#describe()}):
 * <ul>
 *   <li>{@code arbitration}: round-robin, main CMDQ then VCMDQs by index, at most {@code quantum} entries
 *       per queue per turn, the start rotating each duty cycle.</li>
 *   <li>{@code forbiddenCommand}, {@code unmatchedSid}: a guest VCMDQ halts — that queue only — with
 *       CERROR_ILL_ACCESS in CONS.ERR, its GERROR.CMDQ_ERR toggled and its bits set in CMDQ_ERR_MAP, the
 *       VINTF's LVCMDQ_ERR_MAP and VI_ERR_MAP; the host's {@link dev.cmdq.vcmdq.hw.CmdqvErrorListener} is
 *       called.</li>
 *   <li>{@code fetchAbort}: a BASE range outside the memory attached to the queue halts it with
 *       CERROR_ABT on enable and after each acknowledge.</li>
 *   <li>{@code errorMap}: error-map bits clear when the engine sees the acknowledge or the queue is
 *       disabled.</li>
 *   <li>{@code vcmdqSync}: VCMDQ syncs never write back; {@code enableUnmapped}: enabling an unmapped
 *       queue raises CMDQ_INIT_ERR; {@code reservedBits}: RES0 checking is a choice.</li>
 *   <li>Model simplifications (not policy): a VCMDQ's BASE address is resolved in the memory the host
 *       attached to it (a VM's RAM, guest-physical addresses, identity stage 2 for a pinned contiguous
 *       ring); CMDQV and VINTF enables take effect at the write; the per-VCMDQ registers sit on 128-byte
 *       lines instead of the hardware's 0x80 stride.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Registers are off-heap words: software writes release, the engine reads acquire;
 * the engine is the only writer of CONS, GERROR, STATUS and the error maps. Ring memory is never
 * written by the engine except by a main-CMDQ CMD_SYNC's MSI write-back. A warm engine allocates
 * nothing.
 *
 * <p>Depends only on queue-core and smmu-commands.
 */
package dev.cmdq.vcmdq.hw;
