package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;

import dev.cmdq.smmu.CfgiLayout;
import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.DirectBuffer;

/**
 * Decoder for the configuration invalidations ({@link CfgiLayout}), in place. Fields the opcode does
 * not have read as 0 (Leaf and Range share bit 0 of dword 1: Leaf reads it for CFGI_STE/CFGI_CD, Range
 * bits 4:0 for CFGI_STE_RANGE).
 */
public final class CfgiDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private Opcode opcode;
    private long sidMask;
    private long ssidMask;
    private long leafMask;
    private long rangeMask;
    private long vmidMask;
    private long ssecMask;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not a CFGI.
     */
    public CfgiDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        opcode = FamilyCheck.forDecoder(buffer, offset, CommandFamily.CFGI);
        this.buffer = buffer;
        this.offset = offset;
        // Leaf/Range and SID/VMID overlap across CFGI opcodes: masks are chosen per opcode.
        sidMask = opcode.has(CommandLayout.SID) ? SID_MASK : 0;
        ssidMask = opcode.has(CommandLayout.SSID) ? SSID_MASK : 0;
        leafMask = opcode.has(CfgiLayout.LEAF) ? CfgiLayout.LEAF_MASK : 0;
        rangeMask = opcode.has(CfgiLayout.RANGE) ? CfgiLayout.RANGE_MASK : 0;
        vmidMask = opcode.has(CfgiLayout.VMID) ? CfgiLayout.VMID_MASK : 0;
        ssecMask = opcode.has(CommandLayout.SSEC) ? SSEC_MASK : 0;
        return this;
    }

    /**
     * @return the opcode read at wrap.
     */
    public Opcode opcode()
    {
        return opcode;
    }

    /**
     * @return StreamID, 0..2^32-1.
     */
    public long sid()
    {
        return (CommandWords.dword0(buffer, offset) & sidMask) >>> SID_SHIFT;
    }

    /**
     * @return SubstreamID (CFGI_CD).
     */
    public int ssid()
    {
        return (int)((CommandWords.dword0(buffer, offset) & ssidMask) >>> SSID_SHIFT);
    }

    /**
     * @return Leaf (CFGI_STE, CFGI_CD).
     */
    public boolean leaf()
    {
        return (CommandWords.dword1(buffer, offset) & leafMask) != 0;
    }

    /**
     * @return Range (CFGI_STE_RANGE).
     */
    public int range()
    {
        return (int)((CommandWords.dword1(buffer, offset) & rangeMask) >>> CfgiLayout.RANGE_SHIFT);
    }

    /**
     * @return VMID (CFGI_VMS_PIDM).
     */
    public int vmid()
    {
        return (int)((CommandWords.dword0(buffer, offset) & vmidMask) >>> CfgiLayout.VMID_SHIFT);
    }

    /**
     * @return SSec.
     */
    public boolean ssec()
    {
        return (CommandWords.dword0(buffer, offset) & ssecMask) != 0;
    }
}
