package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CommandLayout.SID_MASK;
import static dev.cmdq.smmu.CommandLayout.SID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSID_MASK;
import static dev.cmdq.smmu.CommandLayout.SSID_SHIFT;
import static dev.cmdq.smmu.CommandLayout.SSV_MASK;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.PriRespLayout;
import org.agrona.DirectBuffer;

/**
 * Decoder for PRI_RESP ({@link PriRespLayout}), in place. RESP is read at the kernel's bits 13:12,
 * not QEMU's 12:11 (smmuv3-cmdq.md §7.1).
 */
public final class PriRespDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not a PRI_RESP.
     */
    public PriRespDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        FamilyCheck.forDecoder(buffer, offset, CommandFamily.PRI_RESP);
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
     * @return PRG index.
     */
    public int grpid()
    {
        return (int)((CommandWords.dword1(buffer, offset) & PriRespLayout.GRPID_MASK) >>> PriRespLayout.GRPID_SHIFT);
    }

    /**
     * @return RESP, 0..3 (3 is reserved).
     */
    public int resp()
    {
        return (int)((CommandWords.dword1(buffer, offset) & PriRespLayout.RESP_MASK) >>> PriRespLayout.RESP_SHIFT);
    }
}
