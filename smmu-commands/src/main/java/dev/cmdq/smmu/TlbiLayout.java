package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * The TLB invalidations, opcodes 0x10..0x30. One layout serves all of them; each opcode uses a
 * subset ({@link Opcode#fields()}).
 *
 * <pre>
 *  dword 0
 *   63            48 47            32 31     25 24     20 19  17 16      12 11        8 7         0
 *  +----------------+----------------+---------+---------+------+----------+-----------+----------+
 *  |   ASID         |   VMID         |  RES0   |  SCALE  | RES0 |   NUM    |   RES0    |  OPCODE  |
 *  +----------------+----------------+---------+---------+------+----------+-----------+----------+
 *  dword 1
 *   63                                                  12 11    10 9     8 7          1    0
 *  +------------------------------------------------------+--------+-------+-------------+------+
 *  |          Address[63:12] (ADDR; IPA 51:12 for S2_IPA) |   TG   |  TTL  |    RES0     | LEAF |
 *  +------------------------------------------------------+--------+-------+-------------+------+
 * </pre>
 *
 * Sources (smmuv3-cmdq.md §2.2): kernel {@code CMDQ_TLBI_0_NUM} (16:12), {@code CMDQ_TLBI_0_SCALE}
 * (24:20), {@code CMDQ_TLBI_0_VMID} (47:32), {@code CMDQ_TLBI_0_ASID} (63:48), {@code CMDQ_TLBI_1_LEAF}
 * (0), {@code CMDQ_TLBI_1_TTL} (9:8), {@code CMDQ_TLBI_1_TG} (11:10), {@code CMDQ_TLBI_1_VA_MASK}
 * (63:12), {@code CMDQ_TLBI_1_IPA_MASK} (51:12); QEMU's {@code CMD_*} macros agree.
 *
 * <p>Which opcode has what: VMID — NH_ALL, NH_ASID, NH_VA, NH_VAA, S12_VMALL, S2_IPA; ASID — NH_ASID,
 * NH_VA, EL2_ASID, EL2_VA; the range fields (NUM, SCALE, LEAF, TTL, TG, ADDR) — NH_VA, NH_VAA, EL2_VA,
 * EL2_VAA, EL3_VA, S2_IPA (the last with the IPA mask, so address bits 63:52 are dropped, §7.5).
 * TG=0 means "not a range"; TG≠0 with NUM=SCALE=TTL=0 is the one reserved encoding known to raise
 * CERROR_ILL (linux-unmap-sequences.md §3.2).
 */
public final class TlbiLayout
{
    /** NUM low bit (dword 0 bits 16:12). */
    public static final int NUM_SHIFT = 12;
    /** NUM in place. */
    public static final long NUM_MASK = 0x1FL << NUM_SHIFT;
    /** SCALE low bit (dword 0 bits 24:20). */
    public static final int SCALE_SHIFT = 20;
    /** SCALE in place. */
    public static final long SCALE_MASK = 0x1FL << SCALE_SHIFT;
    /** VMID low bit (dword 0 bits 47:32). */
    public static final int VMID_SHIFT = 32;
    /** VMID in place. */
    public static final long VMID_MASK = 0xFFFFL << VMID_SHIFT;
    /** ASID low bit (dword 0 bits 63:48). */
    public static final int ASID_SHIFT = 48;
    /** ASID in place. */
    public static final long ASID_MASK = 0xFFFFL << ASID_SHIFT;
    /** LEAF, dword 1 bit 0. */
    public static final int LEAF_SHIFT = 0;
    /** LEAF in place. */
    public static final long LEAF_MASK = 1L;
    /** TTL low bit (dword 1 bits 9:8). */
    public static final int TTL_SHIFT = 8;
    /** TTL in place. */
    public static final long TTL_MASK = 0x3L << TTL_SHIFT;
    /** TG low bit (dword 1 bits 11:10). */
    public static final int TG_SHIFT = 10;
    /** TG in place. */
    public static final long TG_MASK = 0x3L << TG_SHIFT;
    /** Virtual address, dword 1 bits 63:12 in place (kernel {@code CMDQ_TLBI_1_VA_MASK}). */
    public static final long ADDR_MASK = 0xFFFF_FFFF_FFFF_F000L;
    /** Intermediate physical address, dword 1 bits 51:12 in place (kernel {@code CMDQ_TLBI_1_IPA_MASK}). */
    public static final long IPA_MASK = 0x000F_FFFF_FFFF_F000L;

    /** NUM: the range covers (NUM+1) * 2^SCALE granules. */
    public static final CommandField NUM = new CommandField("num", 0, NUM_SHIFT, 5, Kind.VALUE);
    /** SCALE. */
    public static final CommandField SCALE = new CommandField("scale", 0, SCALE_SHIFT, 5, Kind.VALUE);
    /** VMID. */
    public static final CommandField VMID = new CommandField("vmid", 0, VMID_SHIFT, 16, Kind.VALUE);
    /** ASID. */
    public static final CommandField ASID = new CommandField("asid", 0, ASID_SHIFT, 16, Kind.VALUE);
    /** LEAF: only last-level entries. */
    public static final CommandField LEAF = new CommandField("leaf", 1, LEAF_SHIFT, 1, Kind.FLAG);
    /** TTL: level hint, 0 = none. */
    public static final CommandField TTL = new CommandField("ttl", 1, TTL_SHIFT, 2, Kind.VALUE);
    /** TG: range granule, 0 = not a range, 1 = 4 KiB, 2 = 16 KiB, 3 = 64 KiB. */
    public static final CommandField TG = new CommandField("tg", 1, TG_SHIFT, 2, Kind.VALUE);
    /** Virtual address [63:12]. */
    public static final CommandField ADDR = new CommandField("addr", 1, 12, 52, Kind.ADDRESS);
    /** Intermediate physical address [51:12] (TLBI_S2_IPA). */
    public static final CommandField IPA = new CommandField("addr", 1, 12, 40, Kind.ADDRESS);

    private TlbiLayout()
    {
    }
}
