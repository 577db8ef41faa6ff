package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSEC_MASK;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.StallLayout;
import org.agrona.DirectBuffer;

/**
 * Decoder for RESUME ({@link StallLayout}), in place: RESP as the kernel sees it, and its two bits as
 * QEMU's AC and AB.
 */
public final class ResumeDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not a RESUME.
     */
    public ResumeDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        FamilyCheck.forDecoder(buffer, offset, CommandFamily.RESUME);
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
     * @return RESP: 0 TERM, 1 RETRY, 2 ABORT.
     */
    public int resp()
    {
        return (int)((CommandWords.dword0(buffer, offset) & StallLayout.RESP_MASK) >>> StallLayout.RESP_SHIFT);
    }

    /**
     * @return AC (bit 12; QEMU {@code CMD_RESUME_AC}).
     */
    public boolean ac()
    {
        return (CommandWords.dword0(buffer, offset) & StallLayout.AC_MASK) != 0;
    }

    /**
     * @return AB (bit 13; QEMU {@code CMD_RESUME_AB}).
     */
    public boolean ab()
    {
        return (CommandWords.dword0(buffer, offset) & StallLayout.AB_MASK) != 0;
    }

    /**
     * @return STAG.
     */
    public int stag()
    {
        return (int)((CommandWords.dword1(buffer, offset) & StallLayout.STAG_MASK) >>> StallLayout.STAG_SHIFT);
    }

    /**
     * @return SSec.
     */
    public boolean ssec()
    {
        return (CommandWords.dword0(buffer, offset) & SSEC_MASK) != 0;
    }
}
