package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * The configuration invalidations: CFGI_STE (0x03), CFGI_STE_RANGE (0x04, which Linux sends as
 * CFGI_ALL with Range 31), CFGI_CD (0x05), CFGI_CD_ALL (0x06) and CFGI_VMS_PIDM (0x07).
 *
 * <pre>
 *  dword 0
 *   63                              32 31                    12 11   10    9      8 7          0
 *  +----------------------------------+------------------------+-----+------+--------+-----------+
 *  |           StreamID (SID)         |  SubstreamID (SSID)    |RES0 | SSec |  RES0  |  OPCODE   |
 *  |                                  |  CFGI_CD only          |     |      |        |           |
 *  +----------------------------------+------------------------+-----+------+--------+-----------+
 *
 *  dword 1, CFGI_STE / CFGI_CD            dword 1, CFGI_STE_RANGE
 *   63                      1     0        63                     5 4           0
 *  +-------------------------+------+     +-----------------------+-------------+
 *  |          RES0           | Leaf |     |         RES0          | Range[4:0]  |
 *  +-------------------------+------+     +-----------------------+-------------+
 *
 *  CFGI_CD_ALL: SID, SSec only.   CFGI_VMS_PIDM, dword 0: VMID 47:32, SSec 10 (no SID).
 * </pre>
 *
 * Sources (smmuv3-cmdq.md §2.2): kernel {@code CMDQ_CFGI_0_SSID} (31:12), {@code CMDQ_CFGI_0_SID}
 * (63:32), {@code CMDQ_CFGI_1_LEAF} (bit 0), {@code CMDQ_CFGI_1_RANGE} (4:0); QEMU {@code CMD_SSEC}
 * (bit 10), {@code CMD_STE_RANGE}. Leaf and Range share bit 0 in different commands: Leaf belongs to
 * CFGI_STE and CFGI_CD, Range to CFGI_STE_RANGE. CFGI_VMS_PIDM is never built by Linux; its fields
 * (SSec, VMID) come from the architecture's parameter list, and VMID at 47:32 (where every other
 * command keeps a VMID) is an assumption not verified from a source read here.
 */
public final class CfgiLayout
{
    /** Leaf, dword 1 bit 0 (CFGI_STE, CFGI_CD). */
    public static final int LEAF_SHIFT = 0;
    /** Leaf in place. */
    public static final long LEAF_MASK = 1L;
    /** Range, dword 1 bits 4:0 (CFGI_STE_RANGE). */
    public static final int RANGE_SHIFT = 0;
    /** Range in place. */
    public static final long RANGE_MASK = 0x1FL;
    /** Range value that covers every StreamID: Linux's CFGI_ALL. */
    public static final int RANGE_ALL = 31;
    /** CFGI_VMS_PIDM VMID low bit (dword 0 bits 47:32). */
    public static final int VMID_SHIFT = 32;
    /** CFGI_VMS_PIDM VMID in place. */
    public static final long VMID_MASK = 0xFFFFL << VMID_SHIFT;

    /** Leaf: only the last level of the structure needs invalidating. */
    public static final CommandField LEAF = new CommandField("leaf", 1, LEAF_SHIFT, 1, Kind.FLAG);
    /** Range: invalidate 2^(Range+1) StreamIDs, aligned. */
    public static final CommandField RANGE = new CommandField("range", 1, RANGE_SHIFT, 5, Kind.VALUE);
    /** CFGI_VMS_PIDM VMID. */
    public static final CommandField VMID = new CommandField("vmid", 0, VMID_SHIFT, 16, Kind.VALUE);

    private CfgiLayout()
    {
    }
}
