package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSV_MASK;
import static dev.cmdq.smmu.CommandLayout.SSV_SHIFT;

import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.PriRespLayout;
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for PRI_RESP ({@link PriRespLayout}).
 */
public final class PriRespEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Starts a PRI_RESP: the opcode, zeros elsewhere.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public PriRespEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        CommandWords.put(buffer, offset, Opcode.PRI_RESP.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @param sid StreamID, masked to 32 bits.
     * @return this.
     */
    public PriRespEncoder sid(final long sid)
    {
        CommandWords.putField0(buffer, offset, SID_MASK, SID_SHIFT, sid);
        return this;
    }

    /**
     * @param ssid SubstreamID, masked to 20 bits.
     * @return this.
     */
    public PriRespEncoder ssid(final int ssid)
    {
        CommandWords.putField0(buffer, offset, SSID_MASK, SSID_SHIFT, ssid);
        return this;
    }

    /**
     * @param ssv SSV.
     * @return this.
     */
    public PriRespEncoder ssv(final boolean ssv)
    {
        CommandWords.putField0(buffer, offset, SSV_MASK, SSV_SHIFT, ssv ? 1 : 0);
        return this;
    }

    /**
     * @param grpid PRG index, masked to 9 bits.
     * @return this.
     */
    public PriRespEncoder grpid(final int grpid)
    {
        CommandWords.putField1(buffer, offset, PriRespLayout.GRPID_MASK, PriRespLayout.GRPID_SHIFT, grpid);
        return this;
    }

    /**
     * @param resp {@link PriRespLayout#RESP_DENY}, {@link PriRespLayout#RESP_FAIL} or
     *             {@link PriRespLayout#RESP_SUCC}.
     * @return this.
     * @throws IllegalArgumentException for any other value: the kernel returns {@code -EINVAL} and
     *                                  encodes nothing.
     */
    public PriRespEncoder resp(final int resp)
    {
        if (resp < PriRespLayout.RESP_DENY || resp > PriRespLayout.RESP_SUCC)
        {
            throw new IllegalArgumentException("PRI_RESP resp=" + resp + " is not DENY(0), FAIL(1) or SUCC(2)");
        }
        CommandWords.putField1(buffer, offset, PriRespLayout.RESP_MASK, PriRespLayout.RESP_SHIFT, resp);
        return this;
    }
}
