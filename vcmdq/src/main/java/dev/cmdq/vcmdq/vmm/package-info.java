/**
 * The VMM layer: what a virtual machine monitor runs for one VM's emulated SMMUv3 on the trapped path.
 *
 * <p><b>Owns:</b> {@link dev.cmdq.vcmdq.vmm.Vsmmu} — the MMIO front-end every guest register access exits
 * into, dispatching by region ({@link dev.cmdq.vcmdq.vmm.SmmuRegisterPage} for SMMU pages 0/1; further
 * {@link dev.cmdq.vcmdq.vmm.MmioRegion}s such as the CMDQV global pages plug in through
 * {@link dev.cmdq.vcmdq.vmm.Vsmmu#mapRegion}); {@link dev.cmdq.vcmdq.vmm.TrappingQueueRegisters} — the
 * {@code QueueRegisters} a guest driver writes through; the trap handler (QEMU's consume loop) with its
 * one {@link dev.cmdq.vcmdq.vmm.CommandActionTable} and its way to the host (per-command or batched
 * IOMMU_HWPT_INVALIDATE); {@link dev.cmdq.vcmdq.vmm.VsmmuTopology} (fanned out, or one vSMMU per
 * physical SMMU); the modelled costs ({@link dev.cmdq.vcmdq.vmm.ModelledCosts},
 * {@link dev.cmdq.vcmdq.vmm.CostMeter}) and the Agrona counters.
 *
 * <p><b>Assumptions</b> (each from the docs named):
 * <ul>
 *   <li>The vSMMU is QEMU's accelerated one: stage 1 only, no MSI and no SEV advertised (so the guest
 *       polls CONS), one 16-byte command per IOMMU_HWPT_INVALIDATE entry (smmuv3-cmdq.md §5.3,
 *       vcmdq-viommu.md §3.7, §5.1).</li>
 *   <li>Every register access is one VM exit; exits are serialised by one lock per vSMMU, as QEMU's big
 *       lock serialises MMIO dispatch. The trap handler runs on the exiting vCPU thread.</li>
 *   <li>The host's handled count is true (the host model's documented deviation from the kernel), so a
 *       failing entry is found exactly and every entry before it executed.</li>
 *   <li>A vSID with no attached device is CERROR_ILL when the command must reach the host (QEMU skips
 *       SID commands for devices it does not know; here the host decides, so the proof of "unknown vSID
 *       → CERROR_ILL, earlier commands executed" holds on both topologies). CFGI_STE for such a vSID is
 *       ignored, as in QEMU.</li>
 *   <li>The VM exit and syscall costs cannot be executed for real: they are named parameters, default 0.</li>
 * </ul>
 * Depends on queue-core, smmu-commands and {@code host} only — never on {@code hw} (a VMM reaches
 * hardware only through iommufd) or {@code guest}.
 */
package dev.cmdq.vcmdq.vmm;
