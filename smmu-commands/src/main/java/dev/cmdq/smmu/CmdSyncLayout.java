package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * CMD_SYNC (0x46): completes when every earlier command of the same queue has completed.
 *
 * <pre>
 *  dword 0
 *   63                              32 31  28 27     24 23  22 21      14 13  12 11      8 7        0
 *  +----------------------------------+------+---------+------+----------+------+---------+--------+
 *  |            MSIData               | RES0 | MSIAttr | MSH  |   RES0   |  CS  |  RES0   |  0x46  |
 *  +----------------------------------+------+---------+------+----------+------+---------+--------+
 *  dword 1
 *   63        52 51                                                                      2 1     0
 *  +------------+-------------------------------------------------------------------------+-------+
 *  |    RES0    |                         MSIAddr[51:2]                                   | RES0  |
 *  +------------+-------------------------------------------------------------------------+-------+
 * </pre>
 *
 * Sources (smmuv3-cmdq.md §2.2): kernel {@code CMDQ_SYNC_0_CS} (13:12), {@code CMDQ_SYNC_0_MSH}
 * (23:22), {@code CMDQ_SYNC_0_MSIATTR} (27:24), {@code CMDQ_SYNC_0_MSIDATA} (63:32),
 * {@code CMDQ_SYNC_1_MSIADDR_MASK} (51:2); QEMU {@code CMD_SYNC_CS}.
 */
public final class CmdSyncLayout
{
    /** CS low bit (dword 0 bits 13:12). */
    public static final int CS_SHIFT = 12;
    /** CS in place. */
    public static final long CS_MASK = 0x3L << CS_SHIFT;
    /** MSH low bit (dword 0 bits 23:22). */
    public static final int MSH_SHIFT = 22;
    /** MSH in place. */
    public static final long MSH_MASK = 0x3L << MSH_SHIFT;
    /** MSIAttr low bit (dword 0 bits 27:24). */
    public static final int MSIATTR_SHIFT = 24;
    /** MSIAttr in place. */
    public static final long MSIATTR_MASK = 0xFL << MSIATTR_SHIFT;
    /** MSIData low bit (dword 0 bits 63:32). */
    public static final int MSIDATA_SHIFT = 32;
    /** MSIData in place. */
    public static final long MSIDATA_MASK = 0xFFFF_FFFFL << MSIDATA_SHIFT;
    /** MSIAddr, dword 1 bits 51:2 in place. */
    public static final long MSIADDR_MASK = 0x000F_FFFF_FFFF_FFFCL;

    /** CS: no completion signal (the waiter polls CONS; Tegra241 VCMDQs). */
    public static final int CS_NONE = 0;
    /** CS: "IRQ" — perform the MSI write of MSIData to MSIAddr. */
    public static final int CS_IRQ = 1;
    /** CS: send a WFE wake-up event. */
    public static final int CS_SEV = 2;
    /** MSH value Linux always uses: inner shareable ({@code ARM_SMMU_SH_ISH}). */
    public static final int MSH_INNER_SHAREABLE = 3;
    /** MSIAttr value Linux always uses: inner+outer write-back ({@code ARM_SMMU_MEMATTR_OIWB}). */
    public static final int MSIATTR_OIWB = 0xF;

    /** CS: completion signal. */
    public static final CommandField CS = new CommandField("cs", 0, CS_SHIFT, 2, Kind.VALUE);
    /** MSH: shareability of the MSI write. */
    public static final CommandField MSH = new CommandField("msh", 0, MSH_SHIFT, 2, Kind.VALUE);
    /** MSIAttr: memory attributes of the MSI write. */
    public static final CommandField MSIATTR = new CommandField("msiattr", 0, MSIATTR_SHIFT, 4, Kind.VALUE);
    /** MSIData: the 32-bit value written on completion. */
    public static final CommandField MSIDATA = new CommandField("msidata", 0, MSIDATA_SHIFT, 32, Kind.VALUE);
    /** MSIAddr [51:2]: where it is written. */
    public static final CommandField MSIADDR = new CommandField("msiaddr", 1, 2, 50, Kind.ADDRESS);

    private CmdSyncLayout()
    {
    }
}
