package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.host.HostDevice;

/**
 * One device attached to a {@link Vm}: the guest StreamID it has there, the host device behind it, and
 * where the VMM put it.
 *
 * @param vsid      its guest StreamID (unique within the VM).
 * @param device    the host device (devId, physical SMMU, physical SID).
 * @param vsmmu     index of the VM's vSMMU it sits behind.
 * @param viommuId  the vIOMMU holding its vDEVICE.
 * @param vdeviceId the vDEVICE's iommufd ID.
 */
public record VmDevice(long vsid, HostDevice device, int vsmmu, int viommuId, int vdeviceId)
{
}
