package dev.cmdq.bench.fuzz;

import java.util.Arrays;

/**
 * What the oracle needs to know besides the command: the vSIDs the VM owns (its vDEVICEs, which are also
 * the VINTF's SID_MATCH slots), whether the strict reserved-bit mode is on, and what the trapped path
 * does with a SID-scoped command for a vSID the VM does not own. Immutable; lookups allocate nothing.
 */
public final class FuzzContext
{
    /** SID_MATCH / SID_REPLACE slots per VINTF (vcmdq-viommu.md §1.5). */
    public static final int MAX_OWNED_VSIDS = 16;
    /** SID_MATCH.VIRT_SID is 20 bits (vcmdq-viommu.md §1.5, §1.8). */
    public static final long MAX_VSID = (1L << 20) - 1;

    private final long[] ownedVsids;
    private final boolean strictReservedBits;
    private final int unownedSidTrapOutcome;

    /**
     * @param ownedVsids            the VM's vSIDs, each in 0..{@value #MAX_VSID}, at most
     *                              {@value #MAX_OWNED_VSIDS}, no duplicates.
     * @param strictReservedBits    rule 5 on: RES0 bits, CMD_SYNC CS = 3, PRI_RESP RESP = 3 are illegal.
     * @param unownedSidTrapOutcome {@link FuzzOutcome#ILL} (the host refuses the forwarded command:
     *                              -EIO, vcmdq-viommu.md §3.7) or {@link FuzzOutcome#IGNORE} (QEMU does not
     *                              forward for a device without vDEVICE, smmuv3-cmdq.md §5.2/5.3).
     */
    public FuzzContext(final int[] ownedVsids, final boolean strictReservedBits, final int unownedSidTrapOutcome)
    {
        if (ownedVsids.length > MAX_OWNED_VSIDS)
        {
            throw new IllegalArgumentException(
                "ownedVsids: " + ownedVsids.length + " vSIDs, a VINTF has " + MAX_OWNED_VSIDS + " SID slots");
        }
        if (unownedSidTrapOutcome != FuzzOutcome.ILL && unownedSidTrapOutcome != FuzzOutcome.IGNORE)
        {
            throw new IllegalArgumentException("unownedSidTrapOutcome: must be ILL or IGNORE, was "
                + FuzzOutcome.name(unownedSidTrapOutcome));
        }
        final long[] sorted = new long[ownedVsids.length];
        for (int i = 0; i < ownedVsids.length; i++)
        {
            if (ownedVsids[i] < 0 || ownedVsids[i] > MAX_VSID)
            {
                throw new IllegalArgumentException("ownedVsids[" + i + "]: vSID " + ownedVsids[i]
                    + " does not fit SID_MATCH's 20 bits");
            }
            sorted[i] = ownedVsids[i];
        }
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                throw new IllegalArgumentException("ownedVsids: vSID " + sorted[i] + " given twice");
            }
        }
        this.ownedVsids = sorted;
        this.strictReservedBits = strictReservedBits;
        this.unownedSidTrapOutcome = unownedSidTrapOutcome;
    }

    /**
     * @param sid a SID field value (dw0 63:32, unsigned).
     * @return true when the VM owns it.
     */
    public boolean owns(final long sid)
    {
        return Arrays.binarySearch(ownedVsids, sid) >= 0;
    }

    /**
     * @param sid         any SID in the range (unsigned).
     * @param rangeLowBits the number of low SID bits the range spans (1..32).
     * @return true when an owned vSID lies in the naturally aligned range of {@code 2^rangeLowBits} SIDs
     *         containing {@code sid}.
     */
    public boolean ownsAnyIn(final long sid, final int rangeLowBits)
    {
        final long high = ~((1L << rangeLowBits) - 1);
        for (final long v : ownedVsids)
        {
            if ((v & high) == (sid & high))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return number of owned vSIDs.
     */
    public int ownedCount()
    {
        return ownedVsids.length;
    }

    /**
     * @param i index in ascending order.
     * @return the i-th owned vSID.
     */
    public long ownedVsid(final int i)
    {
        return ownedVsids[i];
    }

    /**
     * @return true when rule 5 (reserved bits and values) is on.
     */
    public boolean strictReservedBits()
    {
        return strictReservedBits;
    }

    /**
     * @return ILL or IGNORE: the trapped path's answer to a SID-scoped command for an unowned vSID.
     */
    public int unownedSidTrapOutcome()
    {
        return unownedSidTrapOutcome;
    }

    @Override
    public String toString()
    {
        return "ownedVsids=" + Arrays.toString(ownedVsids) + " strictReservedBits=" + strictReservedBits
            + " unownedSidTrapped=" + FuzzOutcome.name(unownedSidTrapOutcome);
    }
}
