package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;
import static dev.cmdq.smmu.CommandLayout.SSEC_SHIFT;

import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.StallLayout;
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for STALL_TERM ({@link StallLayout}); never built by Linux.
 */
public final class StallTermEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Starts a STALL_TERM: the opcode, zeros elsewhere.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public StallTermEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        CommandWords.put(buffer, offset, Opcode.STALL_TERM.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @param sid StreamID, masked to 32 bits.
     * @return this.
     */
    public StallTermEncoder sid(final long sid)
    {
        CommandWords.putField0(buffer, offset, SID_MASK, SID_SHIFT, sid);
        return this;
    }

    /**
     * @param ssec SSec (must be 0 on a Non-secure queue).
     * @return this.
     */
    public StallTermEncoder ssec(final boolean ssec)
    {
        CommandWords.putField0(buffer, offset, SSEC_MASK, SSEC_SHIFT, ssec ? 1 : 0);
        return this;
    }
}
