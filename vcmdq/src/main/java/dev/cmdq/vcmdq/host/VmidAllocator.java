package dev.cmdq.vcmdq.host;

import java.util.BitSet;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * One physical SMMU's VMID space: lowest-free allocation from 1 to {@code 2^vmidBits - 1}, as Linux's
 * {@code ida_alloc_range(&smmu->vmid_map, 1, ...)} (VMID 0 stays reserved for non-translating STEs).
 * Allocation is rare (domain or vIOMMU creation), so a monitor is enough.
 *
 * <p><b>Reuse only after a VMID-wide invalidation.</b> A freed VMID may still tag TLB entries of its
 * previous owner; handing it to another VM before they are gone would let that VM hit them. So
 * {@link #free} first runs the allocator's invalidation hook (the host issues TLBI_S12_VMALL for the VMID
 * plus a CMD_SYNC, see {@link VmidInvalidation}) and releases the VMID only when it succeeded; otherwise
 * the VMID stays allocated (quarantined) and the call fails.
 */
public final class VmidAllocator
{
    private final BitSet used = new BitSet();
    private final int limit;
    private final IntPredicate invalidateVmid;

    /**
     * An allocator without an invalidation hook: for a VMID space no device has used (tests, and
     * models with no SMMU behind them). The host uses {@link #VmidAllocator(int, IntPredicate)}.
     *
     * @param vmidBits 8 or 16 (SMMU_IDR0.VMID16).
     * @throws IllegalArgumentException naming {@code vmidBits} otherwise.
     */
    public VmidAllocator(final int vmidBits)
    {
        this(vmidBits, vmid -> true);
    }

    /**
     * @param vmidBits       8 or 16 (SMMU_IDR0.VMID16).
     * @param invalidateVmid invalidates every TLB entry of a VMID and waits for it; true on success.
     * @throws IllegalArgumentException naming {@code vmidBits} otherwise.
     */
    public VmidAllocator(final int vmidBits, final IntPredicate invalidateVmid)
    {
        this.invalidateVmid = Objects.requireNonNull(invalidateVmid, "invalidateVmid");
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
     * Invalidates the VMID's TLB entries, then makes it reusable.
     *
     * @param vmid a VMID from {@link #allocate()}.
     * @throws IllegalStateException naming {@code vmid} when it is not allocated.
     * @throws IommufdException      {@link Errno#EIO} naming {@code vmid} when the invalidation failed;
     *                               the VMID then stays allocated.
     */
    public synchronized void free(final int vmid)
    {
        if (vmid <= 0 || vmid >= limit || !used.get(vmid))
        {
            throw new IllegalStateException("vmid=" + vmid + " is not allocated");
        }
        if (!invalidateVmid.test(vmid))
        {
            throw new IommufdException(Errno.EIO, "vmid=" + vmid + " could not be invalidated; it stays allocated");
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
