package dev.cmdq.vcmdq.host;

import java.util.BitSet;

/**
 * One physical SMMU's VMID space: lowest-free allocation from 1 to {@code 2^vmidBits - 1}, as Linux's
 * {@code ida_alloc_range(&smmu->vmid_map, 1, ...)} (VMID 0 stays reserved for non-translating STEs).
 * Allocation is rare (domain or vIOMMU creation), so a monitor is enough.
 */
public final class VmidAllocator
{
    private final BitSet used = new BitSet();
    private final int limit;

    /**
     * @param vmidBits 8 or 16 (SMMU_IDR0.VMID16).
     * @throws IllegalArgumentException naming {@code vmidBits} otherwise.
     */
    public VmidAllocator(final int vmidBits)
    {
        if (vmidBits != 8 && vmidBits != 16)
        {
            throw new IllegalArgumentException("vmidBits=" + vmidBits + " is neither 8 nor 16");
        }
        this.limit = 1 << vmidBits;
    }

    /**
     * @return the lowest free VMID.
     * @throws IommufdException {@link Errno#ENOSPC} when all are in use.
     */
    public synchronized int allocate()
    {
        final int vmid = used.nextClearBit(1);
        if (vmid >= limit)
        {
            throw new IommufdException(Errno.ENOSPC, "all " + (limit - 1) + " VMIDs are in use");
        }
        used.set(vmid);
        return vmid;
    }

    /**
     * @param vmid a VMID from {@link #allocate()}.
     * @throws IllegalStateException naming {@code vmid} when it is not allocated.
     */
    public synchronized void free(final int vmid)
    {
        if (vmid <= 0 || vmid >= limit || !used.get(vmid))
        {
            throw new IllegalStateException("vmid=" + vmid + " is not allocated");
        }
        used.clear(vmid);
    }

    /**
     * @param vmid a VMID.
     * @return true while it is allocated.
     */
    public synchronized boolean isAllocated(final int vmid)
    {
        return vmid > 0 && vmid < limit && used.get(vmid);
    }
}
