/**
 * {@code ./cmdq stress}: several VMs on two physical SMMUs ({@code vcmdq.testbed}), random invalidation
 * traffic on both paths (guest VCMDQs and the trapped CMDQ), bad commands, hot-plug and VM teardown while
 * traffic flows, every effect checked against the harness's own model of who owns what.
 *
 * <p>Owns: {@link dev.cmdq.bench.stress.StressRun} (wiring, inline or threaded), {@code StressWorker} (one
 * producer's steps and checks), {@code VmSlot} (the model of one VM: SMMU, VMID as recorded at attach,
 * devices, the entries it planted and has not invalidated), {@code VmidRegistry} (which live VM holds
 * which VMID), {@link dev.cmdq.bench.stress.StressCounts}, {@link dev.cmdq.bench.stress.StressConfig}.
 *
 * <p>Assumptions: cache entries are planted directly into the SMMU's model caches (as a device's walk
 * would) through the testbed's execution gate; a VM's devices all sit behind one SMMU (slot i on SMMU
 * i mod 2), so its ASID-wide commands reach exactly one SMMU; the exactly-once check (SMMU executed as many
 * non-sync commands as the VM issued) needs inline engines, where nothing else runs during an issue;
 * threaded runs rely on the positive controls and the cross-VM survival checks.
 */
package dev.cmdq.bench.stress;
