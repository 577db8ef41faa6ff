package dev.cmdq.vcmdq.vmm;

import java.util.Objects;

/**
 * How one vSMMU is built.
 *
 * @param name         for counter labels and messages, e.g. {@code "vsmmu0"}.
 * @param topology     fanned out, or one vSMMU per physical SMMU.
 * @param forwarding   per-command (upstream QEMU) or batched.
 * @param identity     what the ID registers advertise.
 * @param batchEntries most commands one batched IOMMU_HWPT_INVALIDATE carries, {@code >= 1}. The uAPI has
 *                     no explicit cap (the kernel's practical bound is its allocation, about 10^5 entries,
 *                     vcmdq-viommu.md §3.7); the host splits a call into chunks of 63 + CMD_SYNC anyway.
 */
public record VsmmuConfig(
    String name, TopologyKind topology, ForwardingPolicy forwarding, VsmmuIdentity identity, int batchEntries)
{
    /** Default {@link #batchEntries}: 16 KiB of entries. */
    public static final int DEFAULT_BATCH_ENTRIES = 1024;

    /**
     * @throws IllegalArgumentException naming {@code batchEntries} when below 1.
     */
    public VsmmuConfig
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(forwarding, "forwarding");
        Objects.requireNonNull(identity, "identity");
        if (batchEntries < 1)
        {
            throw new IllegalArgumentException("batchEntries=" + batchEntries + " is below 1");
        }
    }

    /**
     * @param name       the vSMMU's name.
     * @param topology   its topology.
     * @param forwarding its forwarding policy.
     * @return a config with QEMU's identity and {@value #DEFAULT_BATCH_ENTRIES} batch entries.
     */
    public static VsmmuConfig of(final String name, final TopologyKind topology, final ForwardingPolicy forwarding)
    {
        return new VsmmuConfig(name, topology, forwarding, VsmmuIdentity.qemuDefault(), DEFAULT_BATCH_ENTRIES);
    }
}
