package dev.cmdq.vcmdq.host;

/**
 * A physical device bound to iommufd (a VFIO device's {@code dev_id}): which physical SMMU it sits
 * behind and its StreamID there (the first stream; the model gives each device one).
 *
 * @param devId    iommufd object ID of the device.
 * @param smmuId   the physical SMMU it sits behind.
 * @param streamId its physical StreamID (pSID), an unsigned 32-bit value.
 */
public record HostDevice(int devId, int smmuId, long streamId)
{
    /**
     * @throws IllegalArgumentException naming {@code streamId} when it is not a 32-bit value.
     */
    public HostDevice
    {
        if (streamId < 0 || streamId > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("streamId=0x" + Long.toHexString(streamId) + " is not a 32-bit StreamID");
        }
    }
}
