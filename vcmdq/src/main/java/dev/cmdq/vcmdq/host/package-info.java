/**
 * The host kernel model: everything between a VMM's iommufd calls and a physical SMMU's main CMDQ.
 *
 * <p><b>Owns:</b> {@link dev.cmdq.vcmdq.host.HostCmdq} — the only way the host puts commands on a main
 * CMDQ, over a configurable queue-core strategy ({@link dev.cmdq.vcmdq.host.HostCmdqStrategy});
 * {@link dev.cmdq.vcmdq.host.SidTable} — vSID → pSID keyed by vIOMMU, lock-free copy-on-write reads;
 * {@link dev.cmdq.vcmdq.host.Viommu} / {@link dev.cmdq.vcmdq.host.Vdevice} with their VMID policy
 * ({@link dev.cmdq.vcmdq.host.VmidPolicy}, {@link dev.cmdq.vcmdq.host.VmidAllocator}) and lifetimes;
 * {@link dev.cmdq.vcmdq.host.ViommuInvalidator} — the IOMMU_HWPT_INVALIDATE model; the
 * {@link dev.cmdq.vcmdq.host.IommufdBackend} interface with its in-process model
 * {@link dev.cmdq.vcmdq.host.Iommufd}; the uAPI struct codecs in {@code host.uapi}.
 *
 * <p><b>Assumptions</b> (vcmdq-viommu.md §1.8, §3):
 * <ul>
 *   <li>A vIOMMU slices exactly one physical SMMU; its vSID table is private to it (the same vSID may
 *       mean different devices in different vIOMMUs).</li>
 *   <li>CMDQV vSIDs fit SID_MATCH's 20 bits (the kernel only checks {@code <= UINT_MAX}; enforced here);
 *       SMMUv3 vSIDs fit the command's 32-bit SID field.</li>
 *   <li>VMIDs are 16-bit, allocated lowest-free from 1 per physical SMMU; mainline copies the S2
 *       domain's VMID, the in-flight series gives each vIOMMU its own.</li>
 *   <li>invalidate counts as handled only entries that really executed (a deliberate deviation from
 *       the kernel, documented on {@link dev.cmdq.vcmdq.host.ViommuInvalidator}).</li>
 *   <li>Hot-plug (vDEVICE create/destroy) is rare; lookups are constant. Copy-on-write suits that.</li>
 * </ul>
 * Depends only on {@code hw} (when present), queue-core and smmu-commands; never on vmm or guest.
 */
package dev.cmdq.vcmdq.host;
