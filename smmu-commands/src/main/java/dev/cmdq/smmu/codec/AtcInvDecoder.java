package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSV_MASK;

import dev.cmdq.smmu.AtcInvLayout;
import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import org.agrona.DirectBuffer;

/**
 * Decoder for ATC_INV ({@link AtcInvLayout}), in place.
 */
public final class AtcInvDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not an ATC_INV.
     */
    public AtcInvDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        FamilyCheck.forDecoder(buffer, offset, CommandFamily.ATC_INV);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return StreamID, 0..2^32-1.
     */
    public long sid()
    {
        return (CommandWords.dword0(buffer, offset) & SID_MASK) >>> SID_SHIFT;
    }

    /**
     * @return SubstreamID.
     */
    public int ssid()
    {
        return (int)((CommandWords.dword0(buffer, offset) & SSID_MASK) >>> SSID_SHIFT);
    }

    /**
     * @return SSV.
     */
    public boolean ssv()
    {
        return (CommandWords.dword0(buffer, offset) & SSV_MASK) != 0;
    }

    /**
     * @return Global.
     */
    public boolean global()
    {
        return (CommandWords.dword0(buffer, offset) & AtcInvLayout.GLOBAL_MASK) != 0;
    }

    /**
     * @return Size.
     */
    public int size()
    {
        return (int)((CommandWords.dword1(buffer, offset) & AtcInvLayout.SIZE_MASK) >>> AtcInvLayout.SIZE_SHIFT);
    }

    /**
     * @return the address in place, bits 63:12.
     */
    public long addr()
    {
        return CommandWords.dword1(buffer, offset) & AtcInvLayout.ADDR_MASK;
    }
}
