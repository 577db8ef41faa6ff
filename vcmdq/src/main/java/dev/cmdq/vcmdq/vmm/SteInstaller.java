package dev.cmdq.vcmdq.vmm;

/**
 * How the VMM re-installs a device's stream table entry on the host when the guest issues CFGI_STE or
 * CFGI_STE_RANGE: QEMU does not forward those commands but re-reads the guest STE and attaches a nested
 * HWPT built from it (vcmdq-viommu.md §5.1), upon which the host kernel writes the physical STE and
 * issues CFGI_STE + CMD_SYNC for the device's physical StreamID on the main CMDQ. One call is one
 * ioctl; the caller charges its syscall.
 *
 * <p>Called under the vSMMU's lock, on the hot path of a trap: implementations allocate nothing.
 */
public interface SteInstaller
{
    /**
     * Re-installs the STE of the device attached as {@code vsid} in vIOMMU {@code viommuId}.
     *
     * @param viommuId the vIOMMU the device's vDEVICE lives in.
     * @param vsid     the device's guest StreamID.
     * @return true when installed and synced; false on any failure (the trap handler raises CERROR_ILL).
     */
    boolean reinstall(int viommuId, long vsid);
}
