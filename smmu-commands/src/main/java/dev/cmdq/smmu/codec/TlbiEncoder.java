package dev.cmdq.smmu.codec;

import static dev.cmdq.smmu.TlbiLayout.ASID_MASK;
import static dev.cmdq.smmu.TlbiLayout.ASID_SHIFT;
import static dev.cmdq.smmu.TlbiLayout.LEAF_MASK;
import static dev.cmdq.smmu.TlbiLayout.LEAF_SHIFT;
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
import org.agrona.MutableDirectBuffer;

/**
 * Encoder for every TLBI opcode ({@link TlbiLayout}). Which setters take effect depends on the
 * wrapped opcode, exactly as in the kernel's {@code build_cmd}: a VMID given to TLBI_EL2_VA, an ASID
 * given to TLBI_S2_IPA or TLBI_NH_VAA are dropped, and for TLBI_S2_IPA the address keeps bits 51:12
 * only (§2.3, §7.5).
 *
 * <pre>{@code
 * tlbi.wrap(ring, offset, Opcode.TLBI_NH_VA).vmid(1).asid(2).addr(va).num(0).scale(0).tg(1).ttl(3).leaf(true);
 * }</pre>
 */
public final class TlbiEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;
    private long mask0;
    private long mask1;

    /**
     * Starts a command: writes the opcode into dword 0 and zeros everywhere else in the slot.
     *
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @param opcode a TLBI opcode.
     * @return this.
     * @throws IllegalArgumentException if {@code opcode} is not a TLBI.
     */
    public TlbiEncoder wrap(final MutableDirectBuffer buffer, final int offset, final Opcode opcode)
    {
        FamilyCheck.forEncoder(opcode, CommandFamily.TLBI);
        CommandWords.put(buffer, offset, opcode.value(), 0L);
        this.buffer = buffer;
        this.offset = offset;
        this.mask0 = opcode.fieldMask0();
        this.mask1 = opcode.fieldMask1();
        return this;
    }

    /**
     * @param vmid VMID, masked to 16 bits (NH_ALL, NH_ASID, NH_VA, NH_VAA, S12_VMALL, S2_IPA).
     * @return this.
     */
    public TlbiEncoder vmid(final int vmid)
    {
        CommandWords.putField0(buffer, offset, VMID_MASK & mask0, VMID_SHIFT, vmid);
        return this;
    }

    /**
     * @param asid ASID, masked to 16 bits (NH_ASID, NH_VA, EL2_ASID, EL2_VA).
     * @return this.
     */
    public TlbiEncoder asid(final int asid)
    {
        CommandWords.putField0(buffer, offset, ASID_MASK & mask0, ASID_SHIFT, asid);
        return this;
    }

    /**
     * @param num NUM (count-1 of the range), masked to 5 bits.
     * @return this.
     */
    public TlbiEncoder num(final int num)
    {
        CommandWords.putField0(buffer, offset, NUM_MASK & mask0, NUM_SHIFT, num);
        return this;
    }

    /**
     * @param scale SCALE, masked to 5 bits.
     * @return this.
     */
    public TlbiEncoder scale(final int scale)
    {
        CommandWords.putField0(buffer, offset, SCALE_MASK & mask0, SCALE_SHIFT, scale);
        return this;
    }

    /**
     * @param leaf LEAF: only last-level entries.
     * @return this.
     */
    public TlbiEncoder leaf(final boolean leaf)
    {
        CommandWords.putField1(buffer, offset, LEAF_MASK & mask1, LEAF_SHIFT, leaf ? 1 : 0);
        return this;
    }

    /**
     * @param ttl TTL level hint, masked to 2 bits.
     * @return this.
     */
    public TlbiEncoder ttl(final int ttl)
    {
        CommandWords.putField1(buffer, offset, TTL_MASK & mask1, TTL_SHIFT, ttl);
        return this;
    }

    /**
     * @param tg TG range granule, masked to 2 bits.
     * @return this.
     */
    public TlbiEncoder tg(final int tg)
    {
        CommandWords.putField1(buffer, offset, TG_MASK & mask1, TG_SHIFT, tg);
        return this;
    }

    /**
     * @param addr the address; bits 63:12 are kept (51:12 for TLBI_S2_IPA), as the kernel's
     *             {@code addr & CMDQ_TLBI_1_VA_MASK} / {@code CMDQ_TLBI_1_IPA_MASK}.
     * @return this.
     */
    public TlbiEncoder addr(final long addr)
    {
        // The opcode's field mask holds VA 63:12 or IPA 51:12, so one AND applies the right mask.
        CommandWords.putField1(buffer, offset, TlbiLayout.ADDR_MASK & mask1, 0, addr);
        return this;
    }
}
