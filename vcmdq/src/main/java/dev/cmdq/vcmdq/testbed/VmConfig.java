package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.vcmdq.vmm.ModelledCosts;
import dev.cmdq.vcmdq.vmm.TopologyKind;

import java.util.Objects;

/**
 * How a {@link Vm} is built.
 *
 * @param name          for counter labels and messages, e.g. {@code "vm0"}.
 * @param path          trapped (per-command or batched) or direct (VCMDQ).
 * @param topology      the vSMMU topology: {@link GuestPath#topology()} by default; a trapped path may also
 *                      run one vSMMU per physical SMMU (what upstream QEMU ships); VCMDQ requires that.
 * @param vcpus         vCPUs of the guest, {@code >= 1}.
 * @param ramBase       guest-physical address of the RAM, 4 KiB aligned.
 * @param ramBytes      RAM size, a positive multiple of 4 KiB; the command rings are carved from it.
 * @param queueLog2Size log2 of every guest ring's entries (emulated CMDQ and VCMDQs),
 *                      {@value LinuxCmdqIssuer#MIN_LOG2_SIZE}..19.
 * @param vcmdqs        logical VCMDQs per vSMMU on the VCMDQ path (QEMU exposes 2), {@code >= 1}.
 * @param veventqDepth  depth of each vIOMMU's vEVENTQ on the VCMDQ path, {@code >= 1}.
 * @param costs         the modelled VM-exit and syscall costs (default none).
 */
public record VmConfig(
    String name, GuestPath path, TopologyKind topology, int vcpus, long ramBase, int ramBytes, int queueLog2Size, int vcmdqs,
    int veventqDepth, ModelledCosts costs)
{
    /** Default RAM base: 1 GiB, as a typical arm64 VM's DRAM. */
    public static final long DEFAULT_RAM_BASE = 0x4000_0000L;
    /** Default RAM: 1 MiB, room for the rings of several vSMMUs. */
    public static final int DEFAULT_RAM_BYTES = 1 << 20;
    /** Default ring size: 256 entries. */
    public static final int DEFAULT_QUEUE_LOG2_SIZE = 8;
    /** Logical VCMDQs per vSMMU as QEMU exposes them. */
    public static final int QEMU_VCMDQS = 2;

    /**
     * @throws IllegalArgumentException naming the field that is out of range.
     */
    public VmConfig
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(topology, "topology");
        if (path.usesVcmdqs() && topology != TopologyKind.PER_PHYSICAL_SMMU)
        {
            throw new IllegalArgumentException("topology=" + topology + " cannot carry VCMDQs: a guest VCMDQ feeds exactly " +
                "one physical SMMU, so path VCMDQ needs PER_PHYSICAL_SMMU");
        }
        Objects.requireNonNull(costs, "costs");
        if (vcpus < 1)
        {
            throw new IllegalArgumentException("vcpus=" + vcpus + " is below 1");
        }
        if (queueLog2Size < LinuxCmdqIssuer.MIN_LOG2_SIZE || queueLog2Size > 19)
        {
            throw new IllegalArgumentException("queueLog2Size=" + queueLog2Size + " is not in " +
                LinuxCmdqIssuer.MIN_LOG2_SIZE + "..19");
        }
        if (vcmdqs < 1)
        {
            throw new IllegalArgumentException("vcmdqs=" + vcmdqs + " is below 1");
        }
        if (veventqDepth < 1)
        {
            throw new IllegalArgumentException("veventqDepth=" + veventqDepth + " is below 1");
        }
    }

    /**
     * @param name  the VM's name.
     * @param path  its path.
     * @param vcpus its vCPUs.
     * @return a config with the defaults: the path's topology, 1 MiB RAM at 1 GiB, 256-entry rings, 2 VCMDQs per vSMMU, a
     *         64-deep vEVENTQ, no modelled costs.
     */
    public static VmConfig of(final String name, final GuestPath path, final int vcpus)
    {
        return new VmConfig(name, path, path.topology(), vcpus, DEFAULT_RAM_BASE, DEFAULT_RAM_BYTES, DEFAULT_QUEUE_LOG2_SIZE,
            QEMU_VCMDQS, 64, ModelledCosts.NONE);
    }

    /**
     * @param costs the modelled costs.
     * @return a copy with them.
     */
    public VmConfig withCosts(final ModelledCosts costs)
    {
        return new VmConfig(name, path, topology, vcpus, ramBase, ramBytes, queueLog2Size, vcmdqs, veventqDepth, costs);
    }

    /**
     * @param topology the vSMMU topology.
     * @return a copy with it.
     * @throws IllegalArgumentException naming {@code topology} when the path cannot use it.
     */
    public VmConfig withTopology(final TopologyKind topology)
    {
        return new VmConfig(name, path, topology, vcpus, ramBase, ramBytes, queueLog2Size, vcmdqs, veventqDepth, costs);
    }

    /**
     * @param queueLog2Size log2 of every guest ring's entries.
     * @return a copy with it.
     */
    public VmConfig withQueueLog2Size(final int queueLog2Size)
    {
        return new VmConfig(name, path, topology, vcpus, ramBase, ramBytes, queueLog2Size, vcmdqs, veventqDepth, costs);
    }
}
