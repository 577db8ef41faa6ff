package dev.cmdq.smmu.text;

import java.util.List;

import dev.cmdq.smmu.CfgiLayout;
import dev.cmdq.smmu.CommandField;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.MutableDirectBuffer;

/**
 * Parses the line form {@link CommandPrinter} writes back into the two words. Strict: the first token
 * is a command name (or an alias, {@code CFGI_ALL}, {@code PREFETCH_CONFIG}); every other token is
 * {@code name=value} with a field of that command, {@code rsvd0}/{@code rsvd1}, given at most once, in
 * any order; a value is {@code 0x}-hex or decimal and must fit its field exactly (no silent masking:
 * an address must have its low bits zero). A field not given is 0, except that {@code CFGI_ALL} means
 * Range 31. Every error is an {@link IllegalArgumentException} naming the offending token or field.
 */
public final class CommandParser
{
    private CommandParser()
    {
    }

    /**
     * Parses a line and writes the command into a slot (all 16 bytes).
     *
     * @param line   the text.
     * @param buffer where to write.
     * @param offset byte offset of the slot.
     * @throws IllegalArgumentException naming the offending token or field.
     */
    public static void parse(final CharSequence line, final MutableDirectBuffer buffer, final int offset)
    {
        final long[] words = parse(line);
        CommandWords.put(buffer, offset, words[0], words[1]);
    }

    /**
     * Parses a line.
     *
     * @param line the text.
     * @return {@code {dword0, dword1}}.
     * @throws IllegalArgumentException naming the offending token or field.
     */
    public static long[] parse(final CharSequence line)
    {
        final String[] tokens = line.toString().trim().split("\\s+");
        if (tokens.length == 0 || tokens[0].isEmpty())
        {
            throw new IllegalArgumentException("empty command line");
        }
        if (CommandPrinter.UNKNOWN.equals(tokens[0]))
        {
            return parseUnknown(tokens);
        }
        final Opcode opcode = Opcode.ofName(tokens[0]);
        if (opcode == Opcode.UNKNOWN)
        {
            throw new IllegalArgumentException("unknown command name '" + tokens[0] + "'");
        }

        final List<CommandField> fields = opcode.fields();
        final boolean[] seen = new boolean[fields.size() + 2];
        long dword0 = opcode.value();
        long dword1 = 0;
        boolean rangeGiven = false;
        for (int t = 1; t < tokens.length; t++)
        {
            final String token = tokens[t];
            final int eq = token.indexOf('=');
            if (eq <= 0 || eq == token.length() - 1)
            {
                throw new IllegalArgumentException("token '" + token + "' is not name=value");
            }
            final String name = token.substring(0, eq);
            final long value = parseValue(name, token.substring(eq + 1));
            if (CommandPrinter.RESERVED0.equals(name) || CommandPrinter.RESERVED1.equals(name))
            {
                final int dword = CommandPrinter.RESERVED0.equals(name) ? 0 : 1;
                markSeen(seen, fields.size() + dword, name);
                final long allowed = dword == 0 ? opcode.reservedMask0() : opcode.reservedMask1();
                if ((value & ~allowed) != 0)
                {
                    throw new IllegalArgumentException(
                        name + "=0x" + Long.toHexString(value) + " sets bits of fields or OPCODE of " + opcode +
                        " (allowed: 0x" + Long.toHexString(allowed) + ")");
                }
                if (dword == 0)
                {
                    dword0 |= value;
                }
                else
                {
                    dword1 |= value;
                }
                continue;
            }
            final int index = indexOf(fields, name);
            if (index < 0)
            {
                throw new IllegalArgumentException("field '" + name + "' is not a field of " + opcode + " " + fields);
            }
            markSeen(seen, index, name);
            final CommandField field = fields.get(index);
            if (!field.fits(value))
            {
                throw new IllegalArgumentException(
                    "field " + name + "=" + token.substring(eq + 1) + " does not fit " + field +
                    (field.kind() == CommandField.Kind.ADDRESS ? " (address bits outside the field)" : ""));
            }
            if (field == CfgiLayout.RANGE)
            {
                rangeGiven = true;
            }
            if (field.dword() == 0)
            {
                dword0 = field.put(dword0, value);
            }
            else
            {
                dword1 = field.put(dword1, value);
            }
        }
        if (opcode == Opcode.CFGI_STE_RANGE && "CFGI_ALL".equals(tokens[0]))
        {
            if (!rangeGiven)
            {
                dword1 = CfgiLayout.RANGE.put(dword1, CfgiLayout.RANGE_ALL);
            }
            else if (CfgiLayout.RANGE.get(dword0, dword1) != CfgiLayout.RANGE_ALL)
            {
                throw new IllegalArgumentException("CFGI_ALL means range=31, got range=" + CfgiLayout.RANGE.get(dword0, dword1));
            }
        }
        return new long[]{dword0, dword1};
    }

    private static long[] parseUnknown(final String[] tokens)
    {
        if (tokens.length != 3 ||
            !tokens[1].startsWith(CommandPrinter.DWORD0 + "=") ||
            !tokens[2].startsWith(CommandPrinter.DWORD1 + "="))
        {
            throw new IllegalArgumentException("UNKNOWN takes exactly 'dw0=0x... dw1=0x...'");
        }
        final long dword0 = parseValue(CommandPrinter.DWORD0, tokens[1].substring(4));
        final long dword1 = parseValue(CommandPrinter.DWORD1, tokens[2].substring(4));
        final Opcode opcode = Opcode.of((int)(dword0 & CommandLayout.OPCODE_MASK));
        if (opcode != Opcode.UNKNOWN)
        {
            throw new IllegalArgumentException("dw0 holds opcode " + opcode + ": write it by name, not as UNKNOWN");
        }
        return new long[]{dword0, dword1};
    }

    private static void markSeen(final boolean[] seen, final int index, final String name)
    {
        if (seen[index])
        {
            throw new IllegalArgumentException("field '" + name + "' given twice");
        }
        seen[index] = true;
    }

    private static int indexOf(final List<CommandField> fields, final String name)
    {
        for (int i = 0; i < fields.size(); i++)
        {
            if (fields.get(i).name().equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses an unsigned 64-bit value: {@code 0x}-prefixed hex or decimal.
     *
     * @param name the field or key, for the error message.
     * @param text the value.
     * @return the value.
     * @throws IllegalArgumentException naming {@code name} if the text is no such number or exceeds 64 bits.
     */
    public static long parseValue(final String name, final String text)
    {
        try
        {
            if (text.startsWith("0x") || text.startsWith("0X"))
            {
                final String digits = text.substring(2);
                if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-')
                {
                    throw new NumberFormatException(text);
                }
                return Long.parseUnsignedLong(digits, 16);
            }
            if (text.isEmpty() || text.charAt(0) == '+' || text.charAt(0) == '-')
            {
                throw new NumberFormatException(text);
            }
            return Long.parseUnsignedLong(text, 10);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "='" + text + "' is not an unsigned 64-bit number (0x-hex or decimal)", ex);
        }
    }
}
