package dev.cmdq.bench.fuzz;

/**
 * One row of the oracle's table: an opcode the Non-secure queues know, with its fields (typed from
 * smmuv3-cmdq.md §2.2), the flags that decide the CERROR rules, its trap-path handling and the doc
 * sections the row was taken from. The used bits of each dword are the union of the fields plus the
 * opcode byte; everything else is RES0.
 */
public final class CommandRule
{
    /** The command has an SSec bit (dw0 bit 10); SSec = 1 is illegal on a device queue. */
    public static final int HAS_SSEC = 1;
    /** On the allow-list of a guest-owned VCMDQ (vcmdq-viommu.md §2). */
    public static final int GUEST_ALLOWED = 1 << 1;
    /** On a guest-owned VCMDQ only CS = NONE is allowed (CMD_SYNC, vcmdq-viommu.md §1.7, §2). */
    public static final int GUEST_CS_NONE = 1 << 2;
    /** A TLBI with a TG field: TG != 0 with NUM = SCALE = TTL = 0 is reserved (linux-unmap-sequences.md §3.2). */
    public static final int RANGE_TLBI = 1 << 3;
    /** On a guest-owned VCMDQ the SID must match a SID_MATCH slot (ATC_INV, vcmdq-viommu.md §1.8). */
    public static final int GUEST_SID_MATCHED = 1 << 4;
    /**
     * SSec = 1 is CERROR_ILL on the trapped path too. QEMU checks it on CFGI_STE, CFGI_STE_RANGE, CFGI_CD,
     * CFGI_CD_ALL only (§5.2); the VMM checks every command with the field (stricter, a documented choice),
     * so every {@link #HAS_SSEC} row has this flag.
     */
    public static final int TRAP_SSEC_CHECKED = 1 << 5;
    /**
     * Secure-only TLBI (TLBI_EL3_ALL, TLBI_EL3_VA): CERROR_ILL on every Non-secure device queue, before the
     * guest allow-list (IHI0070 §4.4.2.5-6: "only on the Secure Command queue"). The trapped path ignores them.
     */
    public static final int SECURE_ONLY = 1 << 6;
    /** ATC_INV: Size above 52 (a span beyond the 2^64 address space of 4 KiB pages) is CERROR_ILL (IHI0070 §4.5.1). */
    public static final int ATC_SIZE_CAPPED = 1 << 7;

    /** Opcode byte: dw0 bits 7:0, common to every command (smmuv3-cmdq.md §2). */
    public static final long OPCODE_MASK = 0xFFL;

    private final int opcode;
    private final String name;
    private final int flags;
    private final int trapHandling;
    private final String docs;
    private final FieldSpan[] fields;
    private final FieldSpan reservedValueField;
    private final long reservedValue;
    private final long usedDword0;
    private final long usedDword1;

    /**
     * @param opcode             the opcode value (dw0 7:0).
     * @param name               the opcode's name.
     * @param flags              a union of the flag constants.
     * @param trapHandling       one of {@link TrapHandling}.
     * @param docs               the doc sections this row was typed from, and any assumption.
     * @param reservedValueField a 2-bit field whose value {@code reservedValue} is illegal in strict mode,
     *                           or null.
     * @param reservedValue      that value.
     * @param fields             the command's fields (not the opcode byte).
     */
    public CommandRule(
        final int opcode,
        final String name,
        final int flags,
        final int trapHandling,
        final String docs,
        final FieldSpan reservedValueField,
        final long reservedValue,
        final FieldSpan... fields)
    {
        if (opcode < 0 || opcode > 0xFF)
        {
            throw new IllegalArgumentException(name + ": opcode out of range: " + opcode);
        }
        this.opcode = opcode;
        this.name = name;
        this.flags = flags;
        this.trapHandling = trapHandling;
        this.docs = docs;
        this.fields = fields.clone();
        this.reservedValueField = reservedValueField;
        this.reservedValue = reservedValue;
        long used0 = OPCODE_MASK;
        long used1 = 0;
        for (final FieldSpan f : fields)
        {
            final long previous = f.dword() == 0 ? used0 : used1;
            if ((previous & f.mask()) != 0)
            {
                throw new IllegalArgumentException(name + ": field " + f + " overlaps another field");
            }
            if (f.dword() == 0)
            {
                used0 |= f.mask();
            }
            else
            {
                used1 |= f.mask();
            }
        }
        this.usedDword0 = used0;
        this.usedDword1 = used1;
    }

    /**
     * @return the opcode value.
     */
    public int opcode()
    {
        return opcode;
    }

    /**
     * @return the opcode's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the flag constants of this row.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @param flag one flag constant.
     * @return true when the row has it.
     */
    public boolean has(final int flag)
    {
        return (flags & flag) != 0;
    }

    /**
     * @return one of {@link TrapHandling}.
     */
    public int trapHandling()
    {
        return trapHandling;
    }

    /**
     * @return the doc sections (and assumptions) behind the row.
     */
    public String docs()
    {
        return docs;
    }

    /**
     * @return number of fields.
     */
    public int fieldCount()
    {
        return fields.length;
    }

    /**
     * @param i field index.
     * @return the field.
     */
    public FieldSpan field(final int i)
    {
        return fields[i];
    }

    /**
     * @param role a {@code FieldSpan.ROLE_*}.
     * @return the first field with that role, or null.
     */
    public FieldSpan fieldWithRole(final int role)
    {
        for (final FieldSpan f : fields)
        {
            if (f.role() == role)
            {
                return f;
            }
        }
        return null;
    }

    /**
     * @return the field with a reserved enumeration value, or null.
     */
    public FieldSpan reservedValueField()
    {
        return reservedValueField;
    }

    /**
     * @return the reserved value of {@link #reservedValueField()}.
     */
    public long reservedValue()
    {
        return reservedValue;
    }

    /**
     * @return the bits of dw0 that belong to the opcode byte or a field.
     */
    public long usedDword0()
    {
        return usedDword0;
    }

    /**
     * @return the bits of dw1 that belong to a field.
     */
    public long usedDword1()
    {
        return usedDword1;
    }

    @Override
    public String toString()
    {
        return String.format("0x%02x %s", opcode, name);
    }
}
