package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;
import static dev.cmdq.smmu.CommandLayout.SSEC_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;

import dev.cmdq.smmu.CfgiLayout;
import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for the configuration invalidations ({@link CfgiLayout}): CFGI_STE, CFGI_STE_RANGE (and
 * Linux's CFGI_ALL, {@link #wrapAll}), CFGI_CD, CFGI_CD_ALL, CFGI_VMS_PIDM. Setters for fields the
 * opcode lacks write nothing (an SSID given to CFGI_STE, a SID given to CFGI_ALL, §2.3).
 */
public final class CfgiEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;
    private long sidMask;
    private long ssidMask;
    private long leafMask;
    private long rangeMask;
    private long vmidMask;
    private long ssecMask;

    /**
     * Starts a command: the opcode, zeros elsewhere.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @param opcode a CFGI opcode.
     * @return this.
     * @throws IllegalArgumentException if {@code opcode} is not a CFGI.
     */
    public CfgiEncoder wrap(final MutableDirectBuffer buffer, final int offset, final Opcode opcode)
    {
        FamilyCheck.forEncoder(opcode, CommandFamily.CFGI);
        CommandWords.put(buffer, offset, opcode.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        // Leaf/Range share dword-1 bit 0 and SID/VMID share dword-0 bits 47:32 across CFGI opcodes, so
        // each field's mask is chosen per opcode rather than by intersecting with the opcode's bits.
        sidMask = opcode.has(CommandLayout.SID) ? SID_MASK : 0;
        ssidMask = opcode.has(CommandLayout.SSID) ? SSID_MASK : 0;
        leafMask = opcode.has(CfgiLayout.LEAF) ? CfgiLayout.LEAF_MASK : 0;
        rangeMask = opcode.has(CfgiLayout.RANGE) ? CfgiLayout.RANGE_MASK : 0;
        vmidMask = opcode.has(CfgiLayout.VMID) ? CfgiLayout.VMID_MASK : 0;
        ssecMask = opcode.has(CommandLayout.SSEC) ? SSEC_MASK : 0;
        return this;
    }

    /**
     * Linux's CFGI_ALL: CFGI_STE_RANGE with Range 31 and nothing else, as {@code build_cmd} writes it.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public CfgiEncoder wrapAll(final MutableDirectBuffer buffer, final int offset)
    {
        return wrap(buffer, offset, Opcode.CFGI_STE_RANGE).range(CfgiLayout.RANGE_ALL);
    }

    /**
     * @param sid StreamID, masked to 32 bits (all but CFGI_VMS_PIDM).
     * @return this.
     */
    public CfgiEncoder sid(final long sid)
    {
        CommandWords.putField0(buffer, offset, sidMask, SID_SHIFT, sid);
        return this;
    }

    /**
     * @param ssid SubstreamID, masked to 20 bits (CFGI_CD only).
     * @return this.
     */
    public CfgiEncoder ssid(final int ssid)
    {
        CommandWords.putField0(buffer, offset, ssidMask, SSID_SHIFT, ssid);
        return this;
    }

    /**
     * @param leaf Leaf (CFGI_STE, CFGI_CD).
     * @return this.
     */
    public CfgiEncoder leaf(final boolean leaf)
    {
        CommandWords.putField1(buffer, offset, leafMask, CfgiLayout.LEAF_SHIFT, leaf ? 1 : 0);
        return this;
    }

    /**
     * @param range Range, masked to 5 bits (CFGI_STE_RANGE).
     * @return this.
     */
    public CfgiEncoder range(final int range)
    {
        CommandWords.putField1(buffer, offset, rangeMask, CfgiLayout.RANGE_SHIFT, range);
        return this;
    }

    /**
     * @param vmid VMID, masked to 16 bits (CFGI_VMS_PIDM).
     * @return this.
     */
    public CfgiEncoder vmid(final int vmid)
    {
        CommandWords.putField0(buffer, offset, vmidMask, CfgiLayout.VMID_SHIFT, vmid);
        return this;
    }

    /**
     * @param ssec SSec. Linux never sets it; 1 on a Non-secure queue is CERROR_ILL.
     * @return this.
     */
    public CfgiEncoder ssec(final boolean ssec)
    {
        CommandWords.putField0(buffer, offset, ssecMask, SSEC_SHIFT, ssec ? 1 : 0);
        return this;
    }
}
