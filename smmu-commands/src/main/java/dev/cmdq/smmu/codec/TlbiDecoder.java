package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.TlbiLayout.ASID_MASK;
import static dev.cmdq.smmu.TlbiLayout.ASID_SHIFT;
import static dev.cmdq.smmu.TlbiLayout.LEAF_MASK;
import static dev.cmdq.smmu.TlbiLayout.NUM_MASK;
import static dev.cmdq.smmu.TlbiLayout.NUM_SHIFT;
import static dev.cmdq.smmu.TlbiLayout.SCALE_MASK;
import static dev.cmdq.smmu.TlbiLayout.SCALE_SHIFT;
import static dev.cmdq.smmu.TlbiLayout.TG_MASK;
import static dev.cmdq.smmu.TlbiLayout.TG_SHIFT;
import static dev.cmdq.smmu.TlbiLayout.TTL_MASK;
import static dev.cmdq.smmu.TlbiLayout.TTL_SHIFT;
import static dev.cmdq.smmu.TlbiLayout.VMID_MASK;
import static dev.cmdq.smmu.TlbiLayout.VMID_SHIFT;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.TlbiLayout;
import org.agrona.DirectBuffer;

/**
 * Decoder for every TLBI opcode ({@link TlbiLayout}), in place. Fields the opcode does not have read
 * as 0; the TLBI_S2_IPA address reads bits 51:12.
 */
public final class TlbiDecoder
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
     * @throws IllegalArgumentException if the entry is not a TLBI.
     */
    public TlbiDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        opcode = FamilyCheck.forDecoder(buffer, offset, CommandFamily.TLBI);
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
     * @return VMID.
     */
    public int vmid()
    {
        return (int)((CommandWords.dword0(buffer, offset) & VMID_MASK & mask0) >>> VMID_SHIFT);
    }

    /**
     * @return ASID.
     */
    public int asid()
    {
        return (int)((CommandWords.dword0(buffer, offset) & ASID_MASK & mask0) >>> ASID_SHIFT);
    }

    /**
     * @return NUM.
     */
    public int num()
    {
        return (int)((CommandWords.dword0(buffer, offset) & NUM_MASK & mask0) >>> NUM_SHIFT);
    }

    /**
     * @return SCALE.
     */
    public int scale()
    {
        return (int)((CommandWords.dword0(buffer, offset) & SCALE_MASK & mask0) >>> SCALE_SHIFT);
    }

    /**
     * @return LEAF.
     */
    public boolean leaf()
    {
        return (CommandWords.dword1(buffer, offset) & LEAF_MASK & mask1) != 0;
    }

    /**
     * @return TTL.
     */
    public int ttl()
    {
        return (int)((CommandWords.dword1(buffer, offset) & TTL_MASK & mask1) >>> TTL_SHIFT);
    }

    /**
     * @return TG.
     */
    public int tg()
    {
        return (int)((CommandWords.dword1(buffer, offset) & TG_MASK & mask1) >>> TG_SHIFT);
    }

    /**
     * @return the address in place (bits 63:12, or 51:12 for TLBI_S2_IPA).
     */
    public long addr()
    {
        return CommandWords.dword1(buffer, offset) & TlbiLayout.ADDR_MASK & mask1;
    }
}
