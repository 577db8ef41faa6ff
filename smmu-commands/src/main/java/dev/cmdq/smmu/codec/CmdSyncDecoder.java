package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.CmdSyncLayout.CS_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.CS_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSH_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSH_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSIADDR_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIATTR_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIATTR_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSIDATA_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIDATA_SHIFT;

import dev.cmdq.smmu.CmdSyncLayout;
import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import org.agrona.DirectBuffer;

/**
 * Decoder for CMD_SYNC ({@link CmdSyncLayout}), in place.
 */
public final class CmdSyncDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     * @throws IllegalArgumentException if the entry is not a CMD_SYNC.
     */
    public CmdSyncDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        FamilyCheck.forDecoder(buffer, offset, CommandFamily.CMD_SYNC);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return CS: 0 NONE, 1 IRQ, 2 SEV (3 reserved).
     */
    public int cs()
    {
        return (int)((CommandWords.dword0(buffer, offset) & CS_MASK) >>> CS_SHIFT);
    }

    /**
     * @return MSH.
     */
    public int msh()
    {
        return (int)((CommandWords.dword0(buffer, offset) & MSH_MASK) >>> MSH_SHIFT);
    }

    /**
     * @return MSIAttr.
     */
    public int msiAttr()
    {
        return (int)((CommandWords.dword0(buffer, offset) & MSIATTR_MASK) >>> MSIATTR_SHIFT);
    }

    /**
     * @return MSIData, 0..2^32-1.
     */
    public long msiData()
    {
        return (CommandWords.dword0(buffer, offset) & MSIDATA_MASK) >>> MSIDATA_SHIFT;
    }

    /**
     * @return MSIAddr in place, bits 51:2.
     */
    public long msiAddr()
    {
        return CommandWords.dword1(buffer, offset) & MSIADDR_MASK;
    }
}
