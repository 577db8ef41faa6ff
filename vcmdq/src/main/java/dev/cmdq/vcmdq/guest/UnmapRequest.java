package dev.cmdq.vcmdq.guest;

import java.util.Objects;

/**
 * One invalidation request as the driver receives it (linux-unmap-sequences.md §2, §7): which entry
 * point, the IOVA range and its granule, and the domain facts the driver reads while building the
 * commands (smallest page size, the SMMU's range-invalidation feature, ASID, VMID, the ATS device).
 * Mutable and reusable, so a vCPU loop fills one request per call without allocating.
 *
 * <p>Each setter rejects a value its command field cannot hold, naming the field. Relations between
 * fields (granule against page size, size against page size on the range path) are checked by
 * {@link #check()} just before the commands are built, because they depend on the order of setting.
 *
 * <p>The SMMU's FORCE_SYNC option and the CMD_SYNC form are properties of the queue, not of a request:
 * they are fixed when the vCPU's batch and queue are built ({@link GuestSmmu}).
 */
public final class UnmapRequest
{
    /** Largest ASID and VMID (16-bit fields). */
    public static final int MAX_ID = 0xFFFF;
    /** Largest StreamID (32-bit field). */
    public static final long MAX_SID = 0xFFFF_FFFFL;
    /** Largest SubstreamID (20-bit field). */
    public static final int MAX_SSID = 0xF_FFFF;

    private UnmapOp op = UnmapOp.TLB_INV_RANGE_ASID;
    private long iova;
    private long size;
    private long granule = 0x1000;
    private boolean leaf;
    private long pageSize = 0x1000;
    private boolean rangeInvalidation;
    private int asid;
    private int vmid;
    private boolean ats;
    private long sid;
    private int ssid;

    /**
     * @param op the driver entry point.
     * @return this.
     */
    public UnmapRequest op(final UnmapOp op)
    {
        this.op = Objects.requireNonNull(op, "op");
        return this;
    }

    /**
     * @param iova first byte of the range.
     * @return this.
     */
    public UnmapRequest iova(final long iova)
    {
        this.iova = iova;
        return this;
    }

    /**
     * @param size length of the range in bytes, {@code >= 0} (0 = nothing for the range loop, "everything"
     *             for the ATC step).
     * @return this.
     * @throws IllegalArgumentException naming {@code size} when negative.
     */
    public UnmapRequest size(final long size)
    {
        if (size < 0)
        {
            throw new IllegalArgumentException("size=0x" + Long.toHexString(size) + " is negative");
        }
        this.size = size;
        return this;
    }

    /**
     * @param granule the caller's granule: the page size or a block size for leaf unmaps, the page size
     *                otherwise; a power of two.
     * @return this.
     * @throws IllegalArgumentException naming {@code granule} when not a positive power of two.
     */
    public UnmapRequest granule(final long granule)
    {
        if (granule <= 0 || Long.bitCount(granule) != 1)
        {
            throw new IllegalArgumentException("granule=0x" + Long.toHexString(granule) + " is not a power of two");
        }
        this.granule = granule;
        return this;
    }

    /**
     * @param leaf true for the iotlb-sync of cleared leaf entries, false for walk flushes and SVA.
     * @return this.
     */
    public UnmapRequest leaf(final boolean leaf)
    {
        this.leaf = leaf;
        return this;
    }

    /**
     * @param pageSize the domain's smallest page size (lowest bit of its page-size bitmap): 4, 16 or 64 KiB.
     * @return this.
     * @throws IllegalArgumentException naming {@code pgsize} when it is none of those.
     */
    public UnmapRequest pageSize(final long pageSize)
    {
        if (pageSize != 0x1000 && pageSize != 0x4000 && pageSize != 0x10000)
        {
            throw new IllegalArgumentException("pgsize=0x" + Long.toHexString(pageSize) + " is not 0x1000, 0x4000 or 0x10000");
        }
        this.pageSize = pageSize;
        return this;
    }

    /**
     * @param rangeInvalidation the SMMU implements range invalidation (IDR3.RIL; the kernel's RANGE_INV).
     * @return this.
     */
    public UnmapRequest rangeInvalidation(final boolean rangeInvalidation)
    {
        this.rangeInvalidation = rangeInvalidation;
        return this;
    }

    /**
     * @param asid the domain's ASID, 0..{@value #MAX_ID}.
     * @return this.
     * @throws IllegalArgumentException naming {@code asid} when out of range.
     */
    public UnmapRequest asid(final long asid)
    {
        this.asid = (int)checkRange("asid", asid, MAX_ID);
        return this;
    }

    /**
     * @param vmid the value placed in the VMID field (0 in a stock stage-1 kernel), 0..{@value #MAX_ID}.
     * @return this.
     * @throws IllegalArgumentException naming {@code vmid} when out of range.
     */
    public UnmapRequest vmid(final long vmid)
    {
        this.vmid = (int)checkRange("vmid", vmid, MAX_ID);
        return this;
    }

    /**
     * @param ats the domain has one ATS-enabled device ({@link #sid}, {@link #ssid}); ignored by
     *            {@link UnmapOp#ATC_INV}, which always invalidates that device.
     * @return this.
     */
    public UnmapRequest ats(final boolean ats)
    {
        this.ats = ats;
        return this;
    }

    /**
     * @param sid the ATS device's StreamID, 0..{@value #MAX_SID}.
     * @return this.
     * @throws IllegalArgumentException naming {@code sid} when out of range.
     */
    public UnmapRequest sid(final long sid)
    {
        this.sid = checkRange("sid", sid, MAX_SID);
        return this;
    }

    /**
     * @param ssid the device's attachment SSID (PASID), 0 = none, 0..{@value #MAX_SSID}.
     * @return this.
     * @throws IllegalArgumentException naming {@code ssid} when out of range.
     */
    public UnmapRequest ssid(final long ssid)
    {
        this.ssid = (int)checkRange("ssid", ssid, MAX_SSID);
        return this;
    }

    /**
     * Checks the relations between fields that the range loop relies on: the granule is at least the
     * page size; on the range path the size is a whole number of pages (the kernel would otherwise run
     * its page count to zero and take the lowest set bit of 0); the range does not wrap around 2^64.
     *
     * @return this.
     * @throws IllegalArgumentException naming the offending field and value.
     */
    public UnmapRequest check()
    {
        if (op.isRange())
        {
            if (granule < pageSize)
            {
                throw new IllegalArgumentException("granule=0x" + Long.toHexString(granule) +
                    " is below pgsize=0x" + Long.toHexString(pageSize));
            }
            if (rangeInvalidation && (size & (pageSize - 1)) != 0)
            {
                throw new IllegalArgumentException("size=0x" + Long.toHexString(size) +
                    " is not a multiple of pgsize=0x" + Long.toHexString(pageSize) + " (range invalidation)");
            }
        }
        if (size != 0 && Long.compareUnsigned(iova + size - 1, iova) < 0)
        {
            throw new IllegalArgumentException("iova=0x" + Long.toHexString(iova) + " + size=0x" +
                Long.toHexString(size) + " wraps around 2^64");
        }
        return this;
    }

    /**
     * @return the driver entry point.
     */
    public UnmapOp op()
    {
        return op;
    }

    /**
     * @return first byte of the range.
     */
    public long iova()
    {
        return iova;
    }

    /**
     * @return length in bytes.
     */
    public long size()
    {
        return size;
    }

    /**
     * @return the caller's granule.
     */
    public long granule()
    {
        return granule;
    }

    /**
     * @return true for a leaf-only invalidation.
     */
    public boolean leaf()
    {
        return leaf;
    }

    /**
     * @return the domain's smallest page size.
     */
    public long pageSize()
    {
        return pageSize;
    }

    /**
     * @return true when the SMMU implements range invalidation.
     */
    public boolean rangeInvalidation()
    {
        return rangeInvalidation;
    }

    /**
     * @return the ASID.
     */
    public int asid()
    {
        return asid;
    }

    /**
     * @return the VMID field value.
     */
    public int vmid()
    {
        return vmid;
    }

    /**
     * @return true when the domain has the ATS device.
     */
    public boolean ats()
    {
        return ats;
    }

    /**
     * @return the ATS device's StreamID.
     */
    public long sid()
    {
        return sid;
    }

    /**
     * @return the attachment SSID, 0 = none.
     */
    public int ssid()
    {
        return ssid;
    }

    private static long checkRange(final String name, final long value, final long max)
    {
        if (value < 0 || value > max)
        {
            throw new IllegalArgumentException(name + "=0x" + Long.toHexString(value) + " is outside 0..0x" + Long.toHexString(max));
        }
        return value;
    }
}
