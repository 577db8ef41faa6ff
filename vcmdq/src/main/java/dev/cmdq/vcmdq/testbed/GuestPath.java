package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.vmm.ForwardingPolicy;
import dev.cmdq.vcmdq.vmm.TopologyKind;

/**
 * The way a VM's invalidations reach hardware (architecture.md, "The two paths, as data"), with the
 * vSMMU topology each path implies.
 *
 * <pre>
 *   path                  guest queue                  topology            VMM forwarding
 *   TRAPPED_PER_COMMAND   emulated vSMMU CMDQ (exits)  FANNED_OUT          PER_COMMAND (upstream QEMU)
 *   TRAPPED_BATCHED       emulated vSMMU CMDQ (exits)  FANNED_OUT          BATCHED
 *   VCMDQ                 2 mapped VCMDQs per vSMMU    PER_PHYSICAL_SMMU   PER_COMMAND (emulated CMDQ only)
 * </pre>
 *
 * On the VCMDQ path every vSMMU still has its emulated CMDQ, as a real guest does: the VCMDQs accept only
 * TLBI_NH_ASID, TLBI_NH_VA, ATC_INV and CMD_SYNC, so Linux sends everything else (CFGI_CD, CFGI_STE, ...)
 * through the trapped queue.
 */
public enum GuestPath
{
    /** Trapped, one IOMMU_HWPT_INVALIDATE and one host CMD_SYNC per forwarded guest command. */
    TRAPPED_PER_COMMAND(TopologyKind.FANNED_OUT, ForwardingPolicy.PER_COMMAND),
    /** Trapped, forwarded commands gathered up to the guest's CMD_SYNC. */
    TRAPPED_BATCHED(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED),
    /** Direct: guest VCMDQs mapped into the VM, one vSMMU per physical SMMU. */
    VCMDQ(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.PER_COMMAND);

    private final TopologyKind topology;
    private final ForwardingPolicy forwarding;

    GuestPath(final TopologyKind topology, final ForwardingPolicy forwarding)
    {
        this.topology = topology;
        this.forwarding = forwarding;
    }

    /**
     * @return the vSMMU topology of this path.
     */
    public TopologyKind topology()
    {
        return topology;
    }

    /**
     * @return how the trap handler forwards the emulated CMDQ's commands.
     */
    public ForwardingPolicy forwarding()
    {
        return forwarding;
    }

    /**
     * @return true for the direct path.
     */
    public boolean usesVcmdqs()
    {
        return this == VCMDQ;
    }
}
