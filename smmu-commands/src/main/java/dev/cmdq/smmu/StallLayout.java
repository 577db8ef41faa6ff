package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * The stall-model commands: CMD_RESUME (0x44) and CMD_STALL_TERM (0x45).
 *
 * <pre>
 *  CMD_RESUME, dword 0
 *   63                              32 31            14  13    12  11   10    9      8 7          0
 *  +----------------------------------+----------------+-----+-----+-----+------+--------+----------+
 *  |           StreamID (SID)         |      RES0      | AB  | AC  |RES0 | SSec |  RES0  |   0x44   |
 *  +----------------------------------+----------------+-----+-----+-----+------+--------+----------+
 *                                                      \__ RESP __/
 *  CMD_RESUME, dword 1
 *   63                                                        16 15                              0
 *  +------------------------------------------------------------+---------------------------------+
 *  |                            RES0                            |           STAG                  |
 *  +------------------------------------------------------------+---------------------------------+
 *
 *  CMD_STALL_TERM: StreamID 63:32 and SSec 10 in dword 0; dword 1 RES0.
 * </pre>
 *
 * Sources (smmuv3-cmdq.md §2.2): kernel {@code CMDQ_RESUME_0_SID} (63:32), {@code CMDQ_RESUME_0_RESP}
 * (13:12: 0 TERM, 1 RETRY, 2 ABORT), {@code CMDQ_RESUME_1_STAG} (15:0); QEMU {@code CMD_RESUME_AC} =
 * bit 12 and {@code CMD_RESUME_AB} = bit 13 — the same two bits seen one at a time. SSec and the whole
 * of CMD_STALL_TERM (never built by Linux) come from the architecture's parameter lists
 * ({@code CMD_RESUME(StreamID, SSec, STAG, Ac, Ab)}, {@code CMD_STALL_TERM(StreamID, SSec)}).
 */
public final class StallLayout
{
    /** RESUME RESP low bit (dword 0 bits 13:12). */
    public static final int RESP_SHIFT = 12;
    /** RESUME RESP in place. */
    public static final long RESP_MASK = 0x3L << RESP_SHIFT;
    /** RESUME AC (retry) bit in place: dword 0 bit 12. */
    public static final long AC_MASK = 1L << 12;
    /** RESUME AB (abort) bit in place: dword 0 bit 13. */
    public static final long AB_MASK = 1L << 13;
    /** RESUME STAG low bit (dword 1 bits 15:0). */
    public static final int STAG_SHIFT = 0;
    /** RESUME STAG in place. */
    public static final long STAG_MASK = 0xFFFFL;
    /** RESP value: terminate the stalled transaction. */
    public static final int RESP_TERM = 0;
    /** RESP value: retry it. */
    public static final int RESP_RETRY = 1;
    /** RESP value: abort it. */
    public static final int RESP_ABORT = 2;

    /** RESUME RESP (kernel view of AB:AC). */
    public static final CommandField RESP = new CommandField("resp", 0, RESP_SHIFT, 2, Kind.VALUE);
    /** RESUME AC (QEMU {@code CMD_RESUME_AC}); a view of RESP bit 0. */
    public static final CommandField AC = new CommandField("ac", 0, 12, 1, Kind.FLAG);
    /** RESUME AB (QEMU {@code CMD_RESUME_AB}); a view of RESP bit 1. */
    public static final CommandField AB = new CommandField("ab", 0, 13, 1, Kind.FLAG);
    /** RESUME STAG: the stall tag from the fault event. */
    public static final CommandField STAG = new CommandField("stag", 1, STAG_SHIFT, 16, Kind.VALUE);

    private StallLayout()
    {
    }
}
