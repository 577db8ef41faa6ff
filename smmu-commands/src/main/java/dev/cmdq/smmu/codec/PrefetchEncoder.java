package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;
import static dev.cmdq.smmu.CommandLayout.SSEC_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSV_MASK;
import static dev.cmdq.smmu.CommandLayout.SSV_SHIFT;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.PrefetchLayout;
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for PREFETCH_CFG and PREFETCH_ADDR ({@link PrefetchLayout}). Size and address take effect
 * for PREFETCH_ADDR only.
 */
public final class PrefetchEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;
    private long mask0;
    private long mask1;

    /**
     * Starts a command: the opcode, zeros elsewhere.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @param opcode PREFETCH_CFG or PREFETCH_ADDR.
     * @return this.
     * @throws IllegalArgumentException for any other opcode.
     */
    public PrefetchEncoder wrap(final MutableDirectBuffer buffer, final int offset, final Opcode opcode)
    {
        FamilyCheck.forEncoder(opcode, CommandFamily.PREFETCH);
        CommandWords.put(buffer, offset, opcode.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        this.mask0 = opcode.fieldMask0();
        this.mask1 = opcode.fieldMask1();
        return this;
    }

    /**
     * @param sid StreamID, masked to 32 bits.
     * @return this.
     */
    public PrefetchEncoder sid(final long sid)
    {
        CommandWords.putField0(buffer, offset, SID_MASK & mask0, SID_SHIFT, sid);
        return this;
    }

    /**
     * @param ssid SubstreamID, masked to 20 bits (Linux never sets it).
     * @return this.
     */
    public PrefetchEncoder ssid(final int ssid)
    {
        CommandWords.putField0(buffer, offset, SSID_MASK & mask0, SSID_SHIFT, ssid);
        return this;
    }

    /**
     * @param ssv SSV (Linux never sets it).
     * @return this.
     */
    public PrefetchEncoder ssv(final boolean ssv)
    {
        CommandWords.putField0(buffer, offset, SSV_MASK & mask0, SSV_SHIFT, ssv ? 1 : 0);
        return this;
    }

    /**
     * @param ssec SSec (must be 0 on a Non-secure queue).
     * @return this.
     */
    public PrefetchEncoder ssec(final boolean ssec)
    {
        CommandWords.putField0(buffer, offset, SSEC_MASK & mask0, SSEC_SHIFT, ssec ? 1 : 0);
        return this;
    }

    /**
     * @param size Size, masked to 5 bits (PREFETCH_ADDR).
     * @return this.
     */
    public PrefetchEncoder size(final int size)
    {
        CommandWords.putField1(buffer, offset, PrefetchLayout.SIZE_MASK & mask1, PrefetchLayout.SIZE_SHIFT, size);
        return this;
    }

    /**
     * @param addr address, bits 63:12 kept (PREFETCH_ADDR).
     * @return this.
     */
    public PrefetchEncoder addr(final long addr)
    {
        CommandWords.putField1(buffer, offset, PrefetchLayout.ADDR_MASK & mask1, 0, addr);
        return this;
    }
}
