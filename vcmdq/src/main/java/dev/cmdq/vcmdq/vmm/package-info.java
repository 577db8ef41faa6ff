/**
 * The VMM layer: what a virtual machine monitor runs for one VM's emulated SMMUv3 — the trapped path,
 * and the set-up and error reporting of the direct (VCMDQ) path.
 *
 * <p><b>Owns:</b> {@link dev.cmdq.vcmdq.vmm.Vsmmu} — the MMIO front-end every guest register access exits
 * into, dispatching by region ({@link dev.cmdq.vcmdq.vmm.SmmuRegisterPage} for SMMU pages 0/1; further
 * {@link dev.cmdq.vcmdq.vmm.MmioRegion}s such as the CMDQV global pages plug in through
 * {@link dev.cmdq.vcmdq.vmm.Vsmmu#mapRegion}); {@link dev.cmdq.vcmdq.vmm.TrappingQueueRegisters} — the
 * {@code QueueRegisters} a guest driver writes through; the trap handler (QEMU's consume loop) with its
 * one {@link dev.cmdq.vcmdq.vmm.CommandActionTable} and its way to the host (per-command or batched
 * IOMMU_HWPT_INVALIDATE); {@link dev.cmdq.vcmdq.vmm.VsmmuTopology} (fanned out, or one vSMMU per
 * physical SMMU); the modelled costs ({@link dev.cmdq.vcmdq.vmm.ModelledCosts},
 * {@link dev.cmdq.vcmdq.vmm.CostMeter}) and the Agrona counters. For a vSMMU with an emulated Tegra241
 * CMDQV ({@link dev.cmdq.vcmdq.vmm.Vsmmu#mapCmdqv}): {@link dev.cmdq.vcmdq.vmm.CmdqvRegion} — the
 * trapped config page, global VCMDQ pages and VINTF0 page 1 laid out per
 * {@link dev.cmdq.vcmdq.vmm.CmdqvAperture}, which allocates HW queues through the host by QEMU's rule and
 * holds the emulated error maps; {@link dev.cmdq.vcmdq.vmm.VintfPage0} — the guest's mapped window onto
 * its HW queues, which never exits (with {@link dev.cmdq.vcmdq.vmm.CountedQueueRegisters} to count those
 * accesses for reports); {@link dev.cmdq.vcmdq.vmm.CmdqvEventReader} — the vEVENTQ polled by
 * the VMM's event loop, turned into error maps and the {@link dev.cmdq.vcmdq.vmm.CmdqvInterrupt}.
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
 *       ignored, as in QEMU. A detached vSID ({@link dev.cmdq.vcmdq.vmm.Vsmmu#detach}: vDEVICE destroyed,
 *       route removed) is such a vSID, and can be attached again.</li>
 *   <li>The VM exit and syscall costs cannot be executed for real: they are named parameters, default 0.</li>
 *   <li>CMDQV (vcmdq-viommu.md §1.9, §1.10, QEMU's {@code tegra241-cmdqv.c}): one VINTF with two logical
 *       VCMDQs and 16 SID slots is exposed; only a per-physical-SMMU vSMMU with TEGRA241_CMDQV vIOMMUs
 *       and an attached device gets one. Deviations from QEMU, each for a reason named on the class:
 *       only a BASE write re-allocates a queue that has a HW queue (QEMU re-allocates on every
 *       precondition write); the replay writes CONFIG last, and its GERRORN drops the emulation's own
 *       CMDQ_INIT_ERR; a LOST_EVENTS overflow rebuilds the error map from the queues' GERROR/GERRORN
 *       (QEMU only logs); 8-byte reads of the error maps return both words. As in QEMU, the emulated
 *       error maps hold the last report: the guest's acknowledge goes to the mapped page, which the VMM
 *       never sees.</li>
 *   <li>Guest accesses to the mapped VINTF page 0 are invisible to the VMM: no exit, counted only through
 *       the report-only counted view. An access to a slot without a HW queue, which hardware would drop,
 *       is refused with an exception naming the slot.</li>
 * </ul>
 * Depends on queue-core, smmu-commands and {@code host} only — never on {@code hw} (a VMM reaches
 * hardware only through iommufd) or {@code guest}.
 */
package dev.cmdq.vcmdq.vmm;
