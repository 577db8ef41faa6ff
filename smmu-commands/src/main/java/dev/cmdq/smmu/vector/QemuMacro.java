package dev.cmdq.smmu.vector;

import dev.cmdq.smmu.CommandField;
import dev.cmdq.smmu.CommandField.Kind;

/**
 * QEMU's {@code CMD_*} decode macros (hw/arm/smmuv3-internal.h), converted to dword bit positions as
 * in smmuv3-cmdq.md §2.2, under the lower-case names the vectors' {@code qemu_decoded} column uses.
 * QEMU's macros read the same bits whatever the opcode; {@link #cmdqField()} names the cmdq field that
 * holds the same information.
 */
public enum QemuMacro
{
    /** {@code CMD_TYPE}: dword 0 bits 7:0. */
    TYPE("type", "opcode", 0, 0, 8, Kind.VALUE),
    /** {@code CMD_SID}: word 1 = dword 0 bits 63:32. */
    SID("sid", "sid", 0, 32, 32, Kind.VALUE),
    /** {@code CMD_SSID}: dword 0 bits 31:12. */
    SSID("ssid", "ssid", 0, 12, 20, Kind.VALUE),
    /** {@code CMD_SSV}: dword 0 bit 11. */
    SSV("ssv", "ssv", 0, 11, 1, Kind.FLAG),
    /** {@code CMD_SSEC}: dword 0 bit 10. */
    SSEC("ssec", "ssec", 0, 10, 1, Kind.FLAG),
    /** {@code CMD_VMID}: word 1 bits 15:0 = dword 0 bits 47:32. */
    VMID("vmid", "vmid", 0, 32, 16, Kind.VALUE),
    /** {@code CMD_ASID}: word 1 bits 31:16 = dword 0 bits 63:48. */
    ASID("asid", "asid", 0, 48, 16, Kind.VALUE),
    /** {@code CMD_NUM}: dword 0 bits 16:12. */
    NUM("num", "num", 0, 12, 5, Kind.VALUE),
    /** {@code CMD_SCALE}: dword 0 bits 24:20. */
    SCALE("scale", "scale", 0, 20, 5, Kind.VALUE),
    /** {@code CMD_LEAF}: dword 1 bit 0. */
    LEAF("leaf", "leaf", 1, 0, 1, Kind.FLAG),
    /** {@code CMD_TTL}: dword 1 bits 9:8. */
    TTL("ttl", "ttl", 1, 8, 2, Kind.VALUE),
    /** {@code CMD_TG}: dword 1 bits 11:10. */
    TG("tg", "tg", 1, 10, 2, Kind.VALUE),
    /** {@code CMD_ADDR}: (word3 &lt;&lt; 32) | (word2 31:12 &lt;&lt; 12) = dword 1 bits 63:12 in place. */
    ADDR("addr", "addr", 1, 12, 52, Kind.ADDRESS),
    /** {@code CMD_STE_RANGE}: dword 1 bits 4:0. */
    STE_RANGE("ste_range", "range", 1, 0, 5, Kind.VALUE),
    /** {@code CMD_SYNC_CS}: dword 0 bits 13:12. */
    SYNC_CS("sync_cs", "cs", 0, 12, 2, Kind.VALUE),
    /** {@code CMD_RESUME_AC}: dword 0 bit 12. */
    RESUME_AC("resume_ac", "ac", 0, 12, 1, Kind.FLAG),
    /** {@code CMD_RESUME_AB}: dword 0 bit 13. */
    RESUME_AB("resume_ab", "ab", 0, 13, 1, Kind.FLAG),
    /** {@code CMD_RESUME_STAG}: dword 1 bits 15:0. */
    RESUME_STAG("resume_stag", "stag", 1, 0, 16, Kind.VALUE),
    /**
     * {@code CMD_RESP}: dword 1 bits <b>12:11</b> — one bit lower than the kernel's PRI_RESP RESP
     * (13:12), smmuv3-cmdq.md §7.1. Latent in QEMU, which never executes PRI_RESP.
     */
    RESP("resp", "resp", 1, 11, 2, Kind.VALUE);

    private static final QemuMacro[] MACROS = values();

    private final String key;
    private final String cmdqField;
    private final CommandField position;

    QemuMacro(
        final String key, final String cmdqField, final int dword, final int lsb, final int width, final Kind kind)
    {
        this.key = key;
        this.cmdqField = cmdqField;
        this.position = new CommandField(key, dword, lsb, width, kind);
    }

    /**
     * @param key a {@code qemu_decoded} key.
     * @return its macro, or null.
     */
    public static QemuMacro of(final String key)
    {
        for (final QemuMacro macro : MACROS)
        {
            if (macro.key.equals(key))
            {
                return macro;
            }
        }
        return null;
    }

    /**
     * @return the key in {@code qemu_decoded}.
     */
    public String key()
    {
        return key;
    }

    /**
     * @return the name of the cmdq field ({@link dev.cmdq.smmu.Opcode#field}) with the same meaning.
     */
    public String cmdqField()
    {
        return cmdqField;
    }

    /**
     * @return the bits QEMU reads, as a field descriptor.
     */
    public CommandField position()
    {
        return position;
    }

    /**
     * @param field a cmdq field.
     * @return true when it sits exactly where this macro reads.
     */
    public boolean samePositionAs(final CommandField field)
    {
        return field.dword() == position.dword() && field.lsb() == position.lsb() && field.width() == position.width();
    }

    /**
     * @param dword0 dword 0.
     * @param dword1 dword 1.
     * @return what QEMU's macro reads.
     */
    public long read(final long dword0, final long dword1)
    {
        return position.get(dword0, dword1);
    }
}
