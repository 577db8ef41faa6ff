package dev.cmdq.smmu;

import static dev.cmdq.smmu.CommandFamily.ATC_INV;
import static dev.cmdq.smmu.CommandFamily.CFGI;
import static dev.cmdq.smmu.CommandFamily.CMD_SYNC;
import static dev.cmdq.smmu.CommandFamily.NONE;
import static dev.cmdq.smmu.CommandFamily.PREFETCH;
import static dev.cmdq.smmu.CommandFamily.PRI_RESP;
import static dev.cmdq.smmu.CommandFamily.RESUME;
import static dev.cmdq.smmu.CommandFamily.STALL_TERM;
import static dev.cmdq.smmu.CommandFamily.TLBI;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every SMMUv3 command opcode of smmuv3-cmdq.md §2.1 with its value, family and fields — including
 * those Linux never builds (PREFETCH_ADDR, CFGI_VMS_PIDM, TLBI_NH_VAA, TLBI_EL3_ALL/VA, TLBI_EL2_VAA,
 * STALL_TERM).
 *
 * <p>{@link #of(int)} maps a raw opcode byte to its constant through a 256-entry table (no
 * allocation, no exception); a value that is no command gives {@link #UNKNOWN}. Opcode 0x07 is
 * CFGI_VMS_PIDM, as in the architecture; QEMU's enum wrongly puts CFGI_ALL there (§7.2). The
 * Secure-only TLBIs (0x50..0x60) are not commands of a Non-secure queue and are {@link #UNKNOWN}.
 *
 * <p>{@link #fields()} lists the architecture's fields of the command in the order the text form
 * prints them; bits outside them (and outside OPCODE) are RES0.
 */
public enum Opcode
{
    /** Prefetch the configuration of a stream. Linux name PREFETCH_CFG, spec name PREFETCH_CONFIG. */
    PREFETCH_CFG(0x01, PREFETCH, true, "PREFETCH_CONFIG",
        CommandLayout.SSEC, CommandLayout.SID, CommandLayout.SSID, CommandLayout.SSV),
    /** Prefetch configuration and translations for an address span. Never built by Linux. */
    PREFETCH_ADDR(0x02, PREFETCH, false, null,
        CommandLayout.SSEC, CommandLayout.SID, CommandLayout.SSID, CommandLayout.SSV,
        PrefetchLayout.ADDR, PrefetchLayout.SIZE),
    /** Invalidate one STE. */
    CFGI_STE(0x03, CFGI, true, null, CommandLayout.SSEC, CommandLayout.SID, CfgiLayout.LEAF),
    /** Invalidate 2^(Range+1) STEs; Linux sends it as CFGI_ALL (Range 31). */
    CFGI_STE_RANGE(0x04, CFGI, true, "CFGI_ALL", CommandLayout.SSEC, CommandLayout.SID, CfgiLayout.RANGE),
    /** Invalidate one CD. */
    CFGI_CD(0x05, CFGI, true, null,
        CommandLayout.SSEC, CommandLayout.SID, CommandLayout.SSID, CfgiLayout.LEAF),
    /** Invalidate every CD of a stream. */
    CFGI_CD_ALL(0x06, CFGI, true, null, CommandLayout.SSEC, CommandLayout.SID),
    /** Invalidate VMS / PARTID-map state of a VMID. Never built by Linux. */
    CFGI_VMS_PIDM(0x07, CFGI, false, null, CommandLayout.SSEC, CfgiLayout.VMID),
    /** All stage-1 entries of a VMID (Linux 6.13+). */
    TLBI_NH_ALL(0x10, TLBI, true, null, TlbiLayout.VMID),
    /** Stage-1 entries of an ASID. */
    TLBI_NH_ASID(0x11, TLBI, true, null, TlbiLayout.VMID, TlbiLayout.ASID),
    /** Stage-1 entries of an ASID at an address (range). */
    TLBI_NH_VA(0x12, TLBI, true, null,
        TlbiLayout.VMID, TlbiLayout.ASID, TlbiLayout.ADDR, TlbiLayout.NUM, TlbiLayout.SCALE, TlbiLayout.TG,
        TlbiLayout.TTL, TlbiLayout.LEAF),
    /** Stage-1 entries of any ASID at an address (range). Never built by Linux; passed through from guests. */
    TLBI_NH_VAA(0x13, TLBI, false, null,
        TlbiLayout.VMID, TlbiLayout.ADDR, TlbiLayout.NUM, TlbiLayout.SCALE, TlbiLayout.TG, TlbiLayout.TTL,
        TlbiLayout.LEAF),
    /** All EL3 entries. Never built by Linux. */
    TLBI_EL3_ALL(0x18, TLBI, false, null),
    /** EL3 entries at an address (range). Never built by Linux. */
    TLBI_EL3_VA(0x1A, TLBI, false, null,
        TlbiLayout.ADDR, TlbiLayout.NUM, TlbiLayout.SCALE, TlbiLayout.TG, TlbiLayout.TTL, TlbiLayout.LEAF),
    /** All EL2 entries. */
    TLBI_EL2_ALL(0x20, TLBI, true, null),
    /** EL2 entries of an ASID. */
    TLBI_EL2_ASID(0x21, TLBI, true, null, TlbiLayout.ASID),
    /** EL2 entries of an ASID at an address (range). */
    TLBI_EL2_VA(0x22, TLBI, true, null,
        TlbiLayout.ASID, TlbiLayout.ADDR, TlbiLayout.NUM, TlbiLayout.SCALE, TlbiLayout.TG, TlbiLayout.TTL,
        TlbiLayout.LEAF),
    /** EL2 entries of any ASID at an address (range). Never built by Linux. */
    TLBI_EL2_VAA(0x23, TLBI, false, null,
        TlbiLayout.ADDR, TlbiLayout.NUM, TlbiLayout.SCALE, TlbiLayout.TG, TlbiLayout.TTL, TlbiLayout.LEAF),
    /** Stage-1 and stage-2 entries of a VMID. */
    TLBI_S12_VMALL(0x28, TLBI, true, null, TlbiLayout.VMID),
    /** Stage-2 entries of a VMID at an IPA (range; address bits 51:12). */
    TLBI_S2_IPA(0x2A, TLBI, true, null,
        TlbiLayout.VMID, TlbiLayout.IPA, TlbiLayout.NUM, TlbiLayout.SCALE, TlbiLayout.TG, TlbiLayout.TTL,
        TlbiLayout.LEAF),
    /** Every Non-secure non-hypervisor entry. */
    TLBI_NSNH_ALL(0x30, TLBI, true, null),
    /** Invalidate a device's ATC (ATS). */
    ATC_INV(0x40, CommandFamily.ATC_INV, true, null,
        CommandLayout.SID, CommandLayout.SSID, CommandLayout.SSV, AtcInvLayout.GLOBAL, AtcInvLayout.ADDR,
        AtcInvLayout.SIZE),
    /** Respond to a PRI page request group. */
    PRI_RESP(0x41, CommandFamily.PRI_RESP, true, null,
        CommandLayout.SID, CommandLayout.SSID, CommandLayout.SSV, PriRespLayout.GRPID, PriRespLayout.RESP),
    /** Resume (retry / abort / terminate) a stalled transaction. */
    RESUME(0x44, CommandFamily.RESUME, true, null,
        CommandLayout.SSEC, CommandLayout.SID, StallLayout.RESP, StallLayout.STAG),
    /** Terminate every stalled transaction of a stream. Never built by Linux. */
    STALL_TERM(0x45, CommandFamily.STALL_TERM, false, null, CommandLayout.SSEC, CommandLayout.SID),
    /** Completion barrier. */
    CMD_SYNC(0x46, CommandFamily.CMD_SYNC, true, null,
        CmdSyncLayout.CS, CmdSyncLayout.MSH, CmdSyncLayout.MSIATTR, CmdSyncLayout.MSIDATA, CmdSyncLayout.MSIADDR),
    /** No command has this opcode byte: the result of {@link #of(int)} for unknown values. */
    UNKNOWN(-1, NONE, false, null);

    private static final Opcode[] BY_VALUE = new Opcode[256];
    private static final List<Opcode> KNOWN;

    static
    {
        Arrays.fill(BY_VALUE, UNKNOWN);
        final Opcode[] known = new Opcode[values().length - 1];
        int n = 0;
        for (final Opcode opcode : values())
        {
            if (opcode != UNKNOWN)
            {
                BY_VALUE[opcode.value] = opcode;
                known[n++] = opcode;
            }
        }
        KNOWN = Collections.unmodifiableList(Arrays.asList(known));
    }

    private final int value;
    private final CommandFamily family;
    private final boolean builtByLinux;
    private final String alias;
    private final List<CommandField> fields;
    private final long fieldMask0;
    private final long fieldMask1;

    Opcode(
        final int value,
        final CommandFamily family,
        final boolean builtByLinux,
        final String alias,
        final CommandField... fields)
    {
        this.value = value;
        this.family = family;
        this.builtByLinux = builtByLinux;
        this.alias = alias;
        this.fields = Collections.unmodifiableList(Arrays.asList(fields.clone()));
        long mask0 = 0;
        long mask1 = 0;
        for (final CommandField field : fields)
        {
            if (field.dword() == 0)
            {
                if ((mask0 & field.mask()) != 0)
                {
                    throw new IllegalStateException(name() + ": field " + field + " overlaps another");
                }
                mask0 |= field.mask();
            }
            else
            {
                if ((mask1 & field.mask()) != 0)
                {
                    throw new IllegalStateException(name() + ": field " + field + " overlaps another");
                }
                mask1 |= field.mask();
            }
        }
        this.fieldMask0 = mask0;
        this.fieldMask1 = mask1;
    }

    /**
     * Looks an opcode byte up without allocating or throwing.
     *
     * @param value a raw opcode (dword 0 bits 7:0), or any int.
     * @return its constant, or {@link #UNKNOWN} when no command has this value (including values
     *         outside 0..255).
     */
    public static Opcode of(final int value)
    {
        return (value & ~0xFF) == 0 ? BY_VALUE[value] : UNKNOWN;
    }

    /**
     * Looks a name up: the constant's name or its alias ({@code CFGI_ALL}, {@code PREFETCH_CONFIG}).
     *
     * @param name a command name, case-sensitive.
     * @return its constant, or {@link #UNKNOWN} for a name that is no command.
     */
    public static Opcode ofName(final CharSequence name)
    {
        for (final Opcode opcode : KNOWN)
        {
            if (contentEquals(opcode.name(), name) || (opcode.alias != null && contentEquals(opcode.alias, name)))
            {
                return opcode;
            }
        }
        return UNKNOWN;
    }

    /**
     * @return every opcode except {@link #UNKNOWN}, in value order.
     */
    public static List<Opcode> known()
    {
        return KNOWN;
    }

    /**
     * @return the opcode value (dword 0 bits 7:0), or -1 for {@link #UNKNOWN}.
     */
    public int value()
    {
        return value;
    }

    /**
     * @return the family, which selects the encoder and decoder class.
     */
    public CommandFamily family()
    {
        return family;
    }

    /**
     * @return true when Linux's {@code arm_smmu_cmdq_build_cmd} builds this command (§2.1).
     */
    public boolean builtByLinux()
    {
        return builtByLinux;
    }

    /**
     * @return the other accepted name (CFGI_ALL for CFGI_STE_RANGE, PREFETCH_CONFIG for PREFETCH_CFG),
     *         or null.
     */
    public String alias()
    {
        return alias;
    }

    /**
     * @return the command's fields in printing order (OPCODE excluded).
     */
    public List<CommandField> fields()
    {
        return fields;
    }

    /**
     * Additional names for bits already covered by {@link #fields()}: QEMU reads RESUME's RESP as two
     * flags, AC (bit 12) and AB (bit 13).
     *
     * @return the views, never printed.
     */
    public List<CommandField> views()
    {
        return this == RESUME ? RESUME_VIEWS : Collections.emptyList();
    }

    /**
     * @param name a field name.
     * @return the field of that name among {@link #fields()} and {@link #views()}, or null.
     */
    public CommandField field(final CharSequence name)
    {
        for (final CommandField field : fields)
        {
            if (contentEquals(field.name(), name))
            {
                return field;
            }
        }
        for (final CommandField field : views())
        {
            if (contentEquals(field.name(), name))
            {
                return field;
            }
        }
        return null;
    }

    /**
     * @param field a field constant.
     * @return true when this command has it.
     */
    public boolean has(final CommandField field)
    {
        return fields.contains(field);
    }

    /**
     * @return the bits of dword 0 that belong to fields (OPCODE excluded).
     */
    public long fieldMask0()
    {
        return fieldMask0;
    }

    /**
     * @return the bits of dword 1 that belong to fields.
     */
    public long fieldMask1()
    {
        return fieldMask1;
    }

    /**
     * @return the RES0 bits of dword 0: neither OPCODE nor a field.
     */
    public long reservedMask0()
    {
        return this == UNKNOWN ? 0 : ~(fieldMask0 | CommandLayout.OPCODE_MASK);
    }

    /**
     * @return the RES0 bits of dword 1.
     */
    public long reservedMask1()
    {
        return this == UNKNOWN ? 0 : ~fieldMask1;
    }

    /**
     * Bits of dword 1 that are architecturally defined but whose position no source read here
     * confirmed (PREFETCH_ADDR's Stride and NS, {@link PrefetchLayout#UNVERIFIED_MASK1}): neither
     * encoded nor reported as reserved.
     *
     * @return those bits, usually 0.
     */
    public long uncheckedMask1()
    {
        return this == PREFETCH_ADDR ? PrefetchLayout.UNVERIFIED_MASK1 : 0;
    }

    private static final List<CommandField> RESUME_VIEWS =
        Collections.unmodifiableList(Arrays.asList(StallLayout.AC, StallLayout.AB));

    private static boolean contentEquals(final String a, final CharSequence b)
    {
        return a.contentEquals(b);
    }
}
