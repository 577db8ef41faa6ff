package dev.cmdq.vcmdq.vmm;

/**
 * How the trap handler hands forwarded guest commands to the host (architecture.md, "The two paths").
 */
public enum ForwardingPolicy
{
    /**
     * Upstream QEMU (vcmdq-viommu.md §5.1): one IOMMU_HWPT_INVALIDATE call per command, so one host
     * CMD_SYNC per command.
     */
    PER_COMMAND,
    /**
     * Gather forwarded commands until the guest's CMD_SYNC, a command the handler must act on itself,
     * a change of target vIOMMU, a full batch buffer or the end of the trap; then one call for them
     * (the host adds one CMD_SYNC per 63 commands).
     */
    BATCHED
}
