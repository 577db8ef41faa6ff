package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * CMD_PREFETCH_CONFIG (0x01) and CMD_PREFETCH_ADDR (0x02).
 *
 * <pre>
 *  dword 0 (both)
 *   63                              32 31                    12 11   10    9      8 7          0
 *  +----------------------------------+------------------------+-----+------+--------+-----------+
 *  |           StreamID (SID)         |   SubstreamID (SSID)   | SSV | SSec |  RES0  | 0x01/0x02 |
 *  +----------------------------------+------------------------+-----+------+--------+-----------+
 *  dword 1, PREFETCH_CONFIG: RES0
 *  dword 1, PREFETCH_ADDR
 *   63                                                        12 11        5 4               0
 *  +------------------------------------------------------------+-----------+-----------------+
 *  |                      Address[63:12] (ADDR)                 | (Stride,  |   Size (SIZE)   |
 *  |                                                            |  NS)      |                 |
 *  +------------------------------------------------------------+-----------+-----------------+
 * </pre>
 *
 * Sources: kernel {@code CMDQ_PREFETCH_0_SID} (63:32), {@code CMDQ_PREFETCH_1_SIZE} (4:0),
 * {@code CMDQ_PREFETCH_1_ADDR_MASK} (63:12) — the kernel defines the dword-1 masks although it builds
 * only PREFETCH_CONFIG with the SID (smmuv3-cmdq.md §2.1, §2.2). SSec, SSV and SSID are the
 * architecture's common fields (IHI0070 §4.2: {@code CMD_PREFETCH_CONFIG(StreamID, SSec, SubstreamID, SSV)}).
 * PREFETCH_ADDR's Stride and NS parameters exist in the architecture, but their bit positions were
 * not verified from any source read here: bits 11:5 of dword 1 are therefore neither encoded nor
 * treated as reserved ({@link Opcode#uncheckedMask1()}).
 */
public final class PrefetchLayout
{
    /** PREFETCH_ADDR Size low bit (dword 1 bits 4:0). */
    public static final int SIZE_SHIFT = 0;
    /** PREFETCH_ADDR Size in place. */
    public static final long SIZE_MASK = 0x1FL;
    /** PREFETCH_ADDR Address, dword 1 bits 63:12 in place. */
    public static final long ADDR_MASK = 0xFFFF_FFFF_FFFF_F000L;
    /** Dword-1 bits of PREFETCH_ADDR whose meaning (Stride, NS) is not verified here. */
    public static final long UNVERIFIED_MASK1 = 0xFE0L;

    /** PREFETCH_ADDR Size: log2 of the number of translations to prefetch. */
    public static final CommandField SIZE = new CommandField("size", 1, SIZE_SHIFT, 5, Kind.VALUE);
    /** PREFETCH_ADDR Address[63:12]. */
    public static final CommandField ADDR = new CommandField("addr", 1, 12, 52, Kind.ADDRESS);

    private PrefetchLayout()
    {
    }
}
