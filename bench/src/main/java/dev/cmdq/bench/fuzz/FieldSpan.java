package dev.cmdq.bench.fuzz;

/**
 * One field of a command as typed from the field tables of smmuv3-cmdq.md §2.2: which dword, which
 * bits, and what kind of value it carries ({@code ROLE_*}), so the generator can fill it plausibly and
 * the oracle can derive the used bits of each opcode from its fields.
 *
 * <pre>
 *   dword d, bits [lsb + width - 1 : lsb]     mask = ((1 &lt;&lt; width) - 1) &lt;&lt; lsb
 * </pre>
 */
public final class FieldSpan
{
    /** Any value of the field's width is plausible. */
    public static final int ROLE_PLAIN = 0;
    /** dw0 bit 10, Secure-stream flag: 1 is illegal on a Non-secure queue. */
    public static final int ROLE_SSEC = 1;
    /** A StreamID (device queues) or vSID (guest queues), dw0 63:32. */
    public static final int ROLE_SID = 2;
    /** A VMID, dw0 47:32. */
    public static final int ROLE_VMID = 3;
    /** An ASID, dw0 63:48. */
    public static final int ROLE_ASID = 4;
    /** A page address, bits up to 63 (or 51) : 12 of dw1. */
    public static final int ROLE_ADDR = 5;
    /** TLBI range fields: NUM, SCALE, TTL, TG (filled together so the encoding is not the reserved one). */
    public static final int ROLE_RANGE_NUM = 6;
    /** TLBI SCALE. */
    public static final int ROLE_RANGE_SCALE = 7;
    /** TLBI TTL. */
    public static final int ROLE_RANGE_TTL = 8;
    /** TLBI TG. */
    public static final int ROLE_RANGE_TG = 9;
    /** A 2-bit enumeration whose value 3 is reserved (CMD_SYNC CS, PRI_RESP RESP); valid values 0..2. */
    public static final int ROLE_ENUM3 = 10;
    /** ATC_INV Size: 0..52 (52 = everything), smmuv3-cmdq.md §2.2. */
    public static final int ROLE_ATC_SIZE = 11;

    private final String name;
    private final int dword;
    private final int lsb;
    private final int width;
    private final int role;
    private final long mask;

    /**
     * @param name  the field's name in the doc table.
     * @param dword 0 or 1.
     * @param msb   highest bit of the field within its dword.
     * @param lsb   lowest bit.
     * @param role  one of {@code ROLE_*}.
     */
    public FieldSpan(final String name, final int dword, final int msb, final int lsb, final int role)
    {
        if (dword != 0 && dword != 1)
        {
            throw new IllegalArgumentException(name + ": dword must be 0 or 1, was " + dword);
        }
        if (lsb < 0 || msb > 63 || msb < lsb)
        {
            throw new IllegalArgumentException(name + ": bad bit range " + msb + ":" + lsb);
        }
        this.name = name;
        this.dword = dword;
        this.lsb = lsb;
        this.width = msb - lsb + 1;
        this.role = role;
        this.mask = width == 64 ? -1L : ((1L << width) - 1) << lsb;
    }

    /**
     * @return the field's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return 0 or 1.
     */
    public int dword()
    {
        return dword;
    }

    /**
     * @return lowest bit within the dword.
     */
    public int lsb()
    {
        return lsb;
    }

    /**
     * @return width in bits.
     */
    public int width()
    {
        return width;
    }

    /**
     * @return one of {@code ROLE_*}.
     */
    public int role()
    {
        return role;
    }

    /**
     * @return the field's bits within its dword.
     */
    public long mask()
    {
        return mask;
    }

    /**
     * @param word the dword holding the field.
     * @return the field's value, shifted down.
     */
    public long get(final long word)
    {
        return (word & mask) >>> lsb;
    }

    /**
     * @param word  the dword holding the field.
     * @param value the new value; bits beyond the width are dropped.
     * @return {@code word} with the field replaced.
     */
    public long set(final long word, final long value)
    {
        return (word & ~mask) | ((value << lsb) & mask);
    }

    @Override
    public String toString()
    {
        return name + "(dw" + dword + " " + (lsb + width - 1) + ":" + lsb + ")";
    }
}
