package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a VMM asks of the host kernel's iommufd (vcmdq-viommu.md §3), one method per ioctl it uses. The
 * in-process model of one VMM's open {@code /dev/iommu} is {@link IommufdFile} ({@link Iommufd#open}; IDs
 * are per context), over the host-wide {@link Iommufd} (itself a backend: the host's view of every
 * context's objects); a backend issuing the real ioctls can be plugged in behind the same
 * interface, passing the {@code dev.cmdq.vcmdq.host.uapi} structs' bytes.
 *
 * <p>Set-up and tear-down calls throw {@link IommufdException} with the kernel's errno and a message
 * naming the offending field. {@link #invalidate} is the hot path: it reports through its header and a
 * status code, never by exception, and allocates nothing.
 */
public interface IommufdBackend extends AutoCloseable
{
    /**
     * IOMMU_HWPT_ALLOC with NEST_PARENT: the S2 domain for a device's physical SMMU.
     *
     * @param devId the device whose SMMU the domain is created on.
     * @return the HWPT ID.
     */
    int allocNestParent(int devId);

    /**
     * IOMMU_VIOMMU_ALLOC.
     *
     * @param type   vIOMMU type.
     * @param devId  a device behind the physical SMMU to slice.
     * @param hwptId a nest-parent HWPT.
     * @return the vIOMMU ID.
     */
    int allocViommu(ViommuType type, int devId, int hwptId);

    /**
     * IOMMU_VDEVICE_ALLOC.
     *
     * @param viommuId the vIOMMU.
     * @param devId    the device.
     * @param virtId   the guest StreamID.
     * @return the vDEVICE ID.
     */
    int allocVdevice(int viommuId, int devId, long virtId);

    /**
     * IOMMU_IOAS_MAP of the VM's RAM: the guest memory HW queue rings are allocated in.
     *
     * @param memory the VM's RAM.
     */
    void mapGuestMemory(GuestMemory memory);

    /**
     * IOMMU_HW_QUEUE_ALLOC.
     *
     * @param viommuId          the vIOMMU.
     * @param type              queue type (1 = TEGRA241_CMDQV).
     * @param index             LVCMDQ index.
     * @param nestingParentIova guest-physical base of the guest's ring.
     * @param length            ring bytes.
     * @return the HW queue ID.
     */
    int allocHwQueue(int viommuId, int type, int index, long nestingParentIova, long length);

    /**
     * The mmap of a HW queue's VINTF page 0: its PROD, CONS, GERROR and GERRORN, mapped (accesses never
     * trap and never enter this interface again).
     *
     * @param hwQueueId a HW queue.
     * @return its registers.
     */
    QueueRegisters hwQueueRegisters(int hwQueueId);

    /**
     * A write to the HW queue's page-0 CONFIG through the same mapping (bit 0 CMDQ_EN: the guest enables
     * its queue itself, §1.10 step 3).
     *
     * @param hwQueueId a HW queue.
     * @param config    the new CONFIG.
     */
    void writeHwQueueConfig(int hwQueueId, int config);

    /**
     * A read of the HW queue's page-0 STATUS through the mapping (bit 0 CMDQ_EN_OK).
     *
     * @param hwQueueId a HW queue.
     * @return STATUS.
     */
    int hwQueueStatus(int hwQueueId);

    /**
     * IOMMU_VEVENTQ_ALLOC.
     *
     * @param viommuId the vIOMMU.
     * @param type     event type (1 ARM_SMMUV3, 2 TEGRA241_CMDQV).
     * @param depth    queue depth in events.
     * @return the vEVENTQ ID.
     */
    int allocVeventq(int viommuId, int type, int depth);

    /**
     * A non-blocking {@code read()} of one record from a vEVENTQ's file descriptor: a
     * {@code iommufd_vevent_header} and its payload.
     *
     * @param veventqId the vEVENTQ.
     * @param buffer    where the record goes.
     * @param offset    byte offset in it.
     * @return bytes written; 0 when no event is pending.
     */
    int readVevent(int veventqId, MutableDirectBuffer buffer, int offset);

    /**
     * IOMMU_DESTROY.
     *
     * @param id any object ID.
     */
    void destroy(int id);

    /**
     * The guest changed a device's stream table entry (CFGI_STE / CFGI_STE_RANGE on a trapped vSMMU):
     * what QEMU does with {@code IOMMU_HWPT_ALLOC} of a nested HWPT from the new vSTE and a replacing
     * {@code IOMMU_DEVICE_ATTACH}, folded into one call (the model keeps no vSTE contents). The host
     * writes the physical STE and invalidates it: CFGI_STE (LEAF=1) for the device's physical StreamID
     * and a CMD_SYNC it waits for, on the main CMDQ of the vIOMMU's physical SMMU. The trap path calls it
     * under the vSMMU's lock: it reports through its result and allocates nothing once warm.
     *
     * @param viommuId the vIOMMU the device's vDEVICE lives in.
     * @param virtId   the device's guest StreamID.
     * @return 0, -ENOENT (no such vIOMMU, or no vDEVICE with that virt_id), or the submission's error
     *         (-ETIMEDOUT when its sync did not complete in time, -EIO otherwise).
     */
    int reinstallSte(int viommuId, long virtId);

    /**
     * IOMMU_HWPT_INVALIDATE against a vIOMMU. {@code header.entryNum()} is the count on entry and the
     * handled count on return (always written back, as the kernel does).
     *
     * @param header  the ioctl header; {@code hwptId} is the vIOMMU ID.
     * @param entries the entry array ({@code data_uptr}'s memory).
     * @param offset  byte offset of the first entry in {@code entries}.
     * @return 0 or a negative errno.
     */
    int invalidate(IommuHwptInvalidate header, DirectBuffer entries, int offset);

    /**
     * Closes the iommufd context.
     */
    @Override
    void close();
}
