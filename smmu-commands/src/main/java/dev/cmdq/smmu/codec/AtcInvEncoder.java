package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSV_MASK;
import static dev.cmdq.smmu.CommandLayout.SSV_SHIFT;

import dev.cmdq.smmu.AtcInvLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for ATC_INV ({@link AtcInvLayout}).
 */
public final class AtcInvEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Starts an ATC_INV: the opcode, zeros elsewhere.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public AtcInvEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        CommandWords.put(buffer, offset, Opcode.ATC_INV.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @param sid StreamID, masked to 32 bits.
     * @return this.
     */
    public AtcInvEncoder sid(final long sid)
    {
        CommandWords.putField0(buffer, offset, SID_MASK, SID_SHIFT, sid);
        return this;
    }

    /**
     * @param ssid SubstreamID, masked to 20 bits.
     * @return this.
     */
    public AtcInvEncoder ssid(final int ssid)
    {
        CommandWords.putField0(buffer, offset, SSID_MASK, SSID_SHIFT, ssid);
        return this;
    }

    /**
     * @param ssv SSV: the SubstreamID is valid.
     * @return this.
     */
    public AtcInvEncoder ssv(final boolean ssv)
    {
        CommandWords.putField0(buffer, offset, SSV_MASK, SSV_SHIFT, ssv ? 1 : 0);
        return this;
    }

    /**
     * @param global Global.
     * @return this.
     */
    public AtcInvEncoder global(final boolean global)
    {
        CommandWords.putField0(buffer, offset, AtcInvLayout.GLOBAL_MASK, AtcInvLayout.GLOBAL_SHIFT, global ? 1 : 0);
        return this;
    }

    /**
     * @param size log2 of the span in 4 KiB pages, masked to 6 bits ({@link AtcInvLayout#SIZE_ALL} = all).
     * @return this.
     */
    public AtcInvEncoder size(final int size)
    {
        CommandWords.putField1(buffer, offset, AtcInvLayout.SIZE_MASK, AtcInvLayout.SIZE_SHIFT, size);
        return this;
    }

    /**
     * @param addr address, bits 63:12 kept.
     * @return this.
     */
    public AtcInvEncoder addr(final long addr)
    {
        CommandWords.putField1(buffer, offset, AtcInvLayout.ADDR_MASK, 0, addr);
        return this;
    }
}
