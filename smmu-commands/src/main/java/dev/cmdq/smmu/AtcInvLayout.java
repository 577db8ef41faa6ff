package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * CMD_ATC_INV (0x40): invalidate a device's ATS translation cache.
 *
 * <pre>
 *  dword 0
 *   63                              32 31                    12 11   10      9      8 7          0
 *  +----------------------------------+------------------------+-----+------+--------+--+----------+
 *  |           StreamID (SID)         |   SubstreamID (SSID)   | SSV | RES0 | Global |RES0| 0x40   |
 *  +----------------------------------+------------------------+-----+------+--------+--+----------+
 *  dword 1
 *   63                                                        12 11            6 5              0
 *  +------------------------------------------------------------+---------------+----------------+
 *  |                    Address[63:12] (ADDR)                   |     RES0      |   Size (SIZE)  |
 *  +------------------------------------------------------------+---------------+----------------+
 * </pre>
 *
 * Sources (smmuv3-cmdq.md §2.2): kernel {@code CMDQ_ATC_0_GLOBAL} (bit 9), {@code CMDQ_0_SSV} (11),
 * {@code CMDQ_ATC_0_SSID} (31:12), {@code CMDQ_ATC_0_SID} (63:32), {@code CMDQ_ATC_1_SIZE} (5:0),
 * {@code CMDQ_ATC_1_ADDR_MASK} (63:12). Size is log2 of the span in 4 KiB pages; 52
 * ({@link #SIZE_ALL}) means everything.
 */
public final class AtcInvLayout
{
    /** Global low bit (dword 0 bit 9). */
    public static final int GLOBAL_SHIFT = 9;
    /** Global in place. */
    public static final long GLOBAL_MASK = 1L << GLOBAL_SHIFT;
    /** Size low bit (dword 1 bits 5:0). */
    public static final int SIZE_SHIFT = 0;
    /** Size in place. */
    public static final long SIZE_MASK = 0x3FL;
    /** Address, dword 1 bits 63:12 in place. */
    public static final long ADDR_MASK = 0xFFFF_FFFF_FFFF_F000L;
    /** Kernel {@code ATC_INV_SIZE_ALL}: the whole ATC. */
    public static final int SIZE_ALL = 52;

    /** Global: also invalidate global (all-SubstreamID) entries. */
    public static final CommandField GLOBAL = new CommandField("global", 0, GLOBAL_SHIFT, 1, Kind.FLAG);
    /** Size: log2 of the span in 4 KiB pages. */
    public static final CommandField SIZE = new CommandField("size", 1, SIZE_SHIFT, 6, Kind.VALUE);
    /** Address [63:12], aligned to the span. */
    public static final CommandField ADDR = new CommandField("addr", 1, 12, 52, Kind.ADDRESS);

    private AtcInvLayout()
    {
    }
}
