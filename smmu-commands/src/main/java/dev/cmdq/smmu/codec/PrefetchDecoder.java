package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSV_MASK;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.PrefetchLayout;
import org.agrona.DirectBuffer;

/**
 * Decoder for PREFETCH_CFG and PREFETCH_ADDR ({@link PrefetchLayout}), in place.
 */
public final class PrefetchDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private Opcode opcode;
    private long mask0;
    private long mask1;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not a prefetch.
     */
    public PrefetchDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        opcode = FamilyCheck.forDecoder(buffer, offset, CommandFamily.PREFETCH);
        this.buffer = buffer;
        this.offset = offset;
        this.mask0 = opcode.fieldMask0();
        this.mask1 = opcode.fieldMask1();
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
        return (CommandWords.dword0(buffer, offset) & SID_MASK & mask0) >>> SID_SHIFT;
    }

    /**
     * @return SubstreamID.
     */
    public int ssid()
    {
        return (int)((CommandWords.dword0(buffer, offset) & SSID_MASK & mask0) >>> SSID_SHIFT);
    }

    /**
     * @return SSV.
     */
    public boolean ssv()
    {
        return (CommandWords.dword0(buffer, offset) & SSV_MASK & mask0) != 0;
    }

    /**
     * @return SSec.
     */
    public boolean ssec()
    {
        return (CommandWords.dword0(buffer, offset) & SSEC_MASK & mask0) != 0;
    }

    /**
     * @return Size (PREFETCH_ADDR).
     */
    public int size()
    {
        return (int)((CommandWords.dword1(buffer, offset) & PrefetchLayout.SIZE_MASK & mask1) >>> PrefetchLayout.SIZE_SHIFT);
    }

    /**
     * @return the address in place, bits 63:12 (PREFETCH_ADDR).
     */
    public long addr()
    {
        return CommandWords.dword1(buffer, offset) & PrefetchLayout.ADDR_MASK & mask1;
    }
}
