package dev.cmdq.bench.stress;

import java.util.HashMap;
import java.util.Map;

/**
 * The harness's own record of which live VM holds which VMID on which physical SMMU, written when a VM
 * gets its first device on an SMMU and cleared after its teardown was checked. It never asks the host's
 * allocator: a VMID the host hands out while another live VM holds it is a violation found here.
 * Synchronised: workers create and tear down VMs concurrently.
 */
final class VmidRegistry
{
    private final Map<Long, String> owners = new HashMap<>();

    private static long key(final int smmu, final int vmid)
    {
        return (long)smmu << 32 | vmid;
    }

    /**
     * @param smmu  the physical SMMU.
     * @param vmid  the VMID the host gave {@code vm}.
     * @param vm    the VM's name.
     * @return null when it was free, else the live VM that already holds it.
     */
    synchronized String claim(final int smmu, final int vmid, final String vm)
    {
        final String previous = owners.putIfAbsent(key(smmu, vmid), vm);
        return previous == null || previous.equals(vm) ? null : previous;
    }

    /**
     * @param smmu the physical SMMU.
     * @param vmid a VMID {@code vm} held.
     * @param vm   the VM torn down.
     */
    synchronized void release(final int smmu, final int vmid, final String vm)
    {
        owners.remove(key(smmu, vmid), vm);
    }
}
