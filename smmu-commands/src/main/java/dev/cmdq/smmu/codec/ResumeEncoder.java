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
 * Encoder for RESUME ({@link StallLayout}).
 */
public final class ResumeEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Starts a RESUME: the opcode, zeros elsewhere.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public ResumeEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        CommandWords.put(buffer, offset, Opcode.RESUME.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @param sid StreamID, masked to 32 bits.
     * @return this.
     */
    public ResumeEncoder sid(final long sid)
    {
        CommandWords.putField0(buffer, offset, SID_MASK, SID_SHIFT, sid);
        return this;
    }

    /**
     * @param resp {@link StallLayout#RESP_TERM}, {@link StallLayout#RESP_RETRY} or
     *             {@link StallLayout#RESP_ABORT}; masked to 2 bits as the kernel's {@code FIELD_PREP}.
     * @return this.
     */
    public ResumeEncoder resp(final int resp)
    {
        CommandWords.putField0(buffer, offset, StallLayout.RESP_MASK, StallLayout.RESP_SHIFT, resp);
        return this;
    }

    /**
     * @param stag the stall tag, masked to 16 bits.
     * @return this.
     */
    public ResumeEncoder stag(final int stag)
    {
        CommandWords.putField1(buffer, offset, StallLayout.STAG_MASK, StallLayout.STAG_SHIFT, stag);
        return this;
    }

    /**
     * @param ssec SSec (must be 0 on a Non-secure queue).
     * @return this.
     */
    public ResumeEncoder ssec(final boolean ssec)
    {
        CommandWords.putField0(buffer, offset, SSEC_MASK, SSEC_SHIFT, ssec ? 1 : 0);
        return this;
    }
}
