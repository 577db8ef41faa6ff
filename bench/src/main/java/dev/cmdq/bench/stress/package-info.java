/**
 * {@code ./cmdq stress}: several VMs on two physical SMMUs ({@code vcmdq.testbed}), random invalidation
 * traffic on both paths (guest VCMDQs and the trapped CMDQ), bad commands, hot-plug and VM teardown while
 * traffic flows, every effect checked against the harness's own model of who owns what.
 *
 * <p>Owns: {@link dev.cmdq.bench.stress.StressRun} (wiring, inline or threaded), {@code StressWorker} (one
 * producer's steps and checks), {@code VmSlot} (the model of one VM: SMMU, VMID as recorded at attach,
 * devices, the entries it planted and has not invalidated), {@code VmidRegistry} (which live VM holds
 * which VMID), {@code DevicePool} (bound host devices no VM holds, reused across VMs, so pSIDs are
 * reused), {@code ExecutionLedger} (the execution side of the exactly-once check: every command an SMMU
 * executed, counted for the owner it names), {@link dev.cmdq.bench.stress.StressCounts},
 * {@link dev.cmdq.bench.stress.StressConfig}.
 *
 * <p>Exactly once, any engines: each SMMU executes into caches the run builds, behind a ledger tap (inside
 * the testbed's gate, via {@code Platform.Builder.execution}) that attributes each non-sync command by
 * what it names after substitution — VMID for TLBI_NH_* / TLBI_S2_IPA, pSID for CFGI_* / ATC_INV /
 * PREFETCH_*; TLBI_S12_VMALL is the host's own (one per VMID release at teardown, checked as such);
 * anything else names no owner. When an owner is released (a device's pSID after its hot-unplug, the VM's
 * VMID after its teardown, whose host TLBI_S12_VMALL + sync completed) the worker takes and zeroes its
 * books and compares them with what the VM issued with an OK result (injected bad commands are never
 * counted as issued); after the last teardown nothing may be left on any book. The inline per-issue check
 * (the SMMU executed exactly one non-sync command during an issue) stays as a second, stricter one.
 *
 * <p>Assumptions: cache entries are planted directly into the SMMU's model caches (as a device's walk
 * would) through the testbed's execution gate; a VM's devices all sit behind one SMMU (slot i on SMMU
 * i mod 2), so its ASID-wide commands reach exactly one SMMU; every issue waits for its CMD_SYNC, so a
 * VM has nothing in flight when its owner is settled, and a device returns to the pool (its pSID to another
 * VM) only after its books were settled; the pSIDs bound at once fit the 20 bits a CMDQV vDEVICE allows
 * (the ledger's pSID books), which the pool's reuse keeps true however long the run; VMIDs come from S2 parents
 * ({@code VmidPolicy.S2_DOMAIN}, one per VM and SMMU). A VM with a failed issue has its books closed
 * uncompared ({@code unsettledOwners}): the failure is a violation already.
 */
package dev.cmdq.bench.stress;
