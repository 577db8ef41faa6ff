package dev.cmdq.smmu.text;

import java.util.List;

import dev.cmdq.smmu.CommandField;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.DirectBuffer;

/**
 * Prints a command as one line into a caller's {@link StringBuilder}, without allocating (beyond the
 * builder growing). See the package documentation for the format.
 */
public final class CommandPrinter
{
    /** Name of the residual dword-0 bits token. */
    public static final String RESERVED0 = "rsvd0";
    /** Name of the residual dword-1 bits token. */
    public static final String RESERVED1 = "rsvd1";
    /** Name printed for an opcode byte that is no command. */
    public static final String UNKNOWN = "UNKNOWN";
    /** Token of an unknown command's dword 0. */
    public static final String DWORD0 = "dw0";
    /** Token of an unknown command's dword 1. */
    public static final String DWORD1 = "dw1";

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private CommandPrinter()
    {
    }

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @param out    where the line is appended (no line terminator).
     * @return {@code out}.
     */
    public static StringBuilder print(final DirectBuffer buffer, final int offset, final StringBuilder out)
    {
        return print(CommandWords.dword0(buffer, offset), CommandWords.dword1(buffer, offset), out);
    }

    /**
     * @param dword0 the command's dword 0.
     * @param dword1 the command's dword 1.
     * @param out    where the line is appended (no line terminator).
     * @return {@code out}.
     */
    public static StringBuilder print(final long dword0, final long dword1, final StringBuilder out)
    {
        final Opcode opcode = Opcode.of((int)(dword0 & CommandLayout.OPCODE_MASK));
        if (opcode == Opcode.UNKNOWN)
        {
            out.append(UNKNOWN).append(' ').append(DWORD0).append('=');
            appendHex(out, dword0);
            out.append(' ').append(DWORD1).append('=');
            appendHex(out, dword1);
            return out;
        }

        out.append(opcode.name());
        final List<CommandField> fields = opcode.fields();
        for (int i = 0, n = fields.size(); i < n; i++)
        {
            final CommandField field = fields.get(i);
            out.append(' ').append(field.name()).append('=');
            final long value = field.get(dword0, dword1);
            if (field.kind() == CommandField.Kind.FLAG)
            {
                out.append(value);
            }
            else
            {
                appendHex(out, value);
            }
        }
        final long residual0 = dword0 & opcode.reservedMask0();
        final long residual1 = dword1 & opcode.reservedMask1();
        if (residual0 != 0)
        {
            out.append(' ').append(RESERVED0).append('=');
            appendHex(out, residual0);
        }
        if (residual1 != 0)
        {
            out.append(' ').append(RESERVED1).append('=');
            appendHex(out, residual1);
        }
        return out;
    }

    /**
     * @param dword0 the command's dword 0.
     * @param dword1 the command's dword 1.
     * @return the line (allocates; for tools and messages).
     */
    public static String toString(final long dword0, final long dword1)
    {
        return print(dword0, dword1, new StringBuilder(96)).toString();
    }

    /**
     * Appends {@code 0x} and the unsigned value in lower-case hex without leading zeros.
     *
     * @param out   where to append.
     * @param value the value.
     * @return {@code out}.
     */
    public static StringBuilder appendHex(final StringBuilder out, final long value)
    {
        out.append('0').append('x');
        int shift = 60;
        while (shift > 0 && ((value >>> shift) & 0xF) == 0)
        {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4)
        {
            out.append(HEX_DIGITS[(int)((value >>> shift) & 0xF)]);
        }
        return out;
    }
}
