package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * CMD_PRI_RESP (0x41): answer a PCIe page request group.
 *
 * <pre>
 *  dword 0
 *   63                              32 31                    12 11   10               8 7          0
 *  +----------------------------------+------------------------+-----+------------------+----------+
 *  |           StreamID (SID)         |   SubstreamID (SSID)   | SSV |       RES0       |   0x41   |
 *  +----------------------------------+------------------------+-----+------------------+----------+
 *  dword 1
 *   63                                         14 13      12 11     9 8                           0
 *  +---------------------------------------------+----------+--------+-----------------------------+
 *  |                    RES0                     |   RESP   |  RES0  |    PRG index (GRPID)        |
 *  +---------------------------------------------+----------+--------+-----------------------------+
 * </pre>
 *
 * Sources (smmuv3-cmdq.md §2.2): kernel {@code CMDQ_PRI_0_SSID}, {@code CMDQ_PRI_0_SID},
 * {@code CMDQ_PRI_1_GRPID} (8:0), {@code CMDQ_PRI_1_RESP} (13:12). QEMU's {@code CMD_RESP} reads dword
 * 1 bits 12:11 instead (§7.1) — a latent QEMU bug this layout does not copy.
 */
public final class PriRespLayout
{
    /** PRG index low bit (dword 1 bits 8:0). */
    public static final int GRPID_SHIFT = 0;
    /** PRG index in place. */
    public static final long GRPID_MASK = 0x1FFL;
    /** RESP low bit (dword 1 bits 13:12). */
    public static final int RESP_SHIFT = 12;
    /** RESP in place. */
    public static final long RESP_MASK = 0x3L << RESP_SHIFT;
    /** RESP value: deny. */
    public static final int RESP_DENY = 0;
    /** RESP value: failure. */
    public static final int RESP_FAIL = 1;
    /** RESP value: success. */
    public static final int RESP_SUCC = 2;

    /** PRG index. */
    public static final CommandField GRPID = new CommandField("grpid", 1, GRPID_SHIFT, 9, Kind.VALUE);
    /** RESP: 0 DENY, 1 FAIL, 2 SUCC (3 is reserved). */
    public static final CommandField RESP = new CommandField("resp", 1, RESP_SHIFT, 2, Kind.VALUE);

    private PriRespLayout()
    {
    }
}
