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
 * {@link dev.cmdq.vcmdq.host.Iommufd} (host-wide state) and {@link dev.cmdq.vcmdq.host.IommufdFile} (one
 * VMM's open {@code /dev/iommu}: its object-ID namespace and guest-memory mapping); over CMDQV hardware ({@code Iommufd.overHardware}) the host
 * driver's VINTF bookkeeping ({@code GuestVintf}: SID slots, logical VCMDQs), HW queues
 * ({@link dev.cmdq.vcmdq.host.HwQueue}: §3.6 allocation rules, ascending map / descending unmap,
 * teardown flush) and vEVENTQs ({@link dev.cmdq.vcmdq.host.Veventq}: guest-VCMDQ error maps for the
 * VMM); the uAPI struct codecs in {@code host.uapi}.
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
 *   <li>A HW queue's guest range is pinned and contiguous when it lies in its context's one mapped
 *       {@link dev.cmdq.queue.GuestMemory} region (the model has no host page tables); the VCMDQ's BASE
 *       then names the range by its guest-physical address.</li>
 *   <li>Each VMM has its own context ({@code Iommufd.open}): an HWPT, vIOMMU, vDEVICE, HW queue or
 *       vEVENTQ ID another context created is ENOENT, as in Linux; IDs are host-wide and never reused,
 *       so ownership is one lock-free array lookup. Devices are bound host-wide (not per context as
 *       VFIO does); closing a context destroys what it owns in the kernel's order.</li>
 *   <li>Hot-unplug drain: the vDEVICE's SID slot is cleared only after every HW queue of its VINTF is
 *       idle, halted or disabled and a host CMD_SYNC on the main CMDQ completed; a drain that cannot
 *       finish within the wait bound fails with ETIMEDOUT and keeps the slot.</li>
 *   <li>Errors of the host's own VINTF0 queues are not handled (the host model issues only through the
 *       main CMDQ); they, and guest errors without a vEVENTQ, are counted as unreported.</li>
 * </ul>
 * Depends only on {@code hw}, queue-core and smmu-commands; never on vmm or guest.
 */
package dev.cmdq.vcmdq.host;
