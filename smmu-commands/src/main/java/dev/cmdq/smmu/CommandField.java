package dev.cmdq.smmu;

/**
 * One named field of a command: which dword, low bit, width, and how it is shown. The layout
 * classes ({@link TlbiLayout}, {@link CfgiLayout}, ...) define one constant per spec field; generic code
 * (printer, parser, validator, vector checker) walks {@link Opcode#fields()} instead of knowing
 * commands.
 *
 * <p>An {@link Kind#ADDRESS} field is read and written <em>in place</em> (the address with its low
 * bits zero, as the kernel writes {@code addr & GENMASK(63, 12)}); every other field as a right-aligned
 * value.
 */
public final class CommandField
{
    /** How a field's value is written in the one-line text form. */
    public enum Kind
    {
        /** One bit, shown in decimal (0 or 1). */
        FLAG,
        /** A right-aligned unsigned value, shown in hex. */
        VALUE,
        /** An address kept in place (low bits zero), shown in hex. */
        ADDRESS
    }

    private final String name;
    private final int dword;
    private final int lsb;
    private final int width;
    private final Kind kind;
    private final long mask;

    /**
     * @param name  the field's name in text and vectors (lower case, kernel/QEMU spelling).
     * @param dword 0 or 1.
     * @param lsb   low bit within the dword.
     * @param width number of bits, 1..64.
     * @param kind  how the value is held and shown.
     */
    public CommandField(final String name, final int dword, final int lsb, final int width, final Kind kind)
    {
        if ((dword & ~1) != 0 || lsb < 0 || width < 1 || lsb + width > 64)
        {
            throw new IllegalArgumentException(
                "field " + name + ": dword=" + dword + " lsb=" + lsb + " width=" + width + " is not inside one dword");
        }
        if (kind == Kind.FLAG && width != 1)
        {
            throw new IllegalArgumentException("field " + name + ": a FLAG is one bit, width=" + width);
        }
        this.name = name;
        this.dword = dword;
        this.lsb = lsb;
        this.width = width;
        this.kind = kind;
        this.mask = (width == 64 ? -1L : ((1L << width) - 1)) << lsb;
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
     * @return low bit within the dword.
     */
    public int lsb()
    {
        return lsb;
    }

    /**
     * @return number of bits.
     */
    public int width()
    {
        return width;
    }

    /**
     * @return how the field is held and shown.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return the field's bits in place within its dword.
     */
    public long mask()
    {
        return mask;
    }

    /**
     * @param dword0 the command's dword 0.
     * @param dword1 the command's dword 1.
     * @return the field's value: right-aligned, or in place for an {@link Kind#ADDRESS}.
     */
    public long get(final long dword0, final long dword1)
    {
        final long bits = (dword == 0 ? dword0 : dword1) & mask;
        return kind == Kind.ADDRESS ? bits : bits >>> lsb;
    }

    /**
     * @param value a candidate value (right-aligned, or in place for an address).
     * @return true when the value is representable without losing bits.
     */
    public boolean fits(final long value)
    {
        return kind == Kind.ADDRESS ? (value & ~mask) == 0 : (value & ~(mask >>> lsb)) == 0;
    }

    /**
     * @param word  the dword this field lives in.
     * @param value the new value (right-aligned, or in place for an address); bits that do not fit
     *              are dropped.
     * @return {@code word} with the field replaced.
     */
    public long put(final long word, final long value)
    {
        final long bits = kind == Kind.ADDRESS ? value & mask : (value << lsb) & mask;
        return (word & ~mask) | bits;
    }

    /**
     * @return e.g. {@code vmid[dw0 47:32]}.
     */
    @Override
    public String toString()
    {
        return name + "[dw" + dword + " " + (lsb + width - 1) + (width == 1 ? "" : ":" + lsb) + "]";
    }
}
