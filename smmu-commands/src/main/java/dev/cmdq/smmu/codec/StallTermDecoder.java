package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.StallLayout;
import org.agrona.DirectBuffer;

/**
 * Decoder for STALL_TERM ({@link StallLayout}), in place.
 */
public final class StallTermDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not a STALL_TERM.
     */
    public StallTermDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        FamilyCheck.forDecoder(buffer, offset, CommandFamily.STALL_TERM);
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
     * @return SSec.
     */
    public boolean ssec()
    {
        return (CommandWords.dword0(buffer, offset) & SSEC_MASK) != 0;
    }
}
