package dev.cmdq.smmu;

import dev.cmdq.smmu.CommandField.Kind;

/**
 * The fields shared by several commands, at the same place in each (smmuv3-cmdq.md §2; kernel
 * {@code CMDQ_0_OP}, {@code CMDQ_0_SSV}, {@code CMDQ_*_0_SSID}, {@code CMDQ_*_0_SID}; QEMU
 * {@code CMD_TYPE}, {@code CMD_SSEC}, {@code CMD_SSV}, {@code CMD_SSID}, {@code CMD_SID}).
 *
 * <pre>
 *  dword 0
 *   63                              32 31                    12 11   10    9  8  7            0
 *  +----------------------------------+------------------------+-----+------+-----+-------------+
 *  |          StreamID (SID)          |   SubstreamID (SSID)   | SSV | SSec | ... | OPCODE      |
 *  +----------------------------------+------------------------+-----+------+-----+-------------+
 *  dword 1: command specific
 * </pre>
 *
 * Every command has OPCODE; which of the others a command has is listed per command by
 * {@link Opcode#fields()}. SSec, when present, must be 0 on a Non-secure queue (ARM IHI0070 §4.1.6).
 */
public final class CommandLayout
{
    /** OPCODE, dword 0 bits 7:0. */
    public static final long OPCODE_MASK = 0xFFL;
    /** SSec low bit (dword 0 bit 10). */
    public static final int SSEC_SHIFT = 10;
    /** SSec in place. */
    public static final long SSEC_MASK = 1L << SSEC_SHIFT;
    /** SSV low bit (dword 0 bit 11). */
    public static final int SSV_SHIFT = 11;
    /** SSV in place. */
    public static final long SSV_MASK = 1L << SSV_SHIFT;
    /** SubstreamID low bit (dword 0 bits 31:12). */
    public static final int SSID_SHIFT = 12;
    /** SubstreamID in place, 20 bits. */
    public static final long SSID_MASK = 0xFFFFFL << SSID_SHIFT;
    /** StreamID low bit (dword 0 bits 63:32). */
    public static final int SID_SHIFT = 32;
    /** StreamID in place, 32 bits. */
    public static final long SID_MASK = 0xFFFF_FFFFL << SID_SHIFT;

    /** SSec: the StreamID is Secure (must be 0 on a Non-secure queue). */
    public static final CommandField SSEC = new CommandField("ssec", 0, SSEC_SHIFT, 1, Kind.FLAG);
    /** SSV: the SubstreamID is valid. */
    public static final CommandField SSV = new CommandField("ssv", 0, SSV_SHIFT, 1, Kind.FLAG);
    /** SubstreamID (PASID). */
    public static final CommandField SSID = new CommandField("ssid", 0, SSID_SHIFT, 20, Kind.VALUE);
    /** StreamID. */
    public static final CommandField SID = new CommandField("sid", 0, SID_SHIFT, 32, Kind.VALUE);

    private CommandLayout()
    {
    }
}
