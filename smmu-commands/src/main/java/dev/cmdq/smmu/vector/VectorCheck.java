package dev.cmdq.smmu.vector;

import java.util.List;
import java.util.function.Consumer;

import dev.cmdq.smmu.CommandField;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.linux.LinuxCommandBuilder;
import dev.cmdq.smmu.linux.LinuxCommandInput;
import dev.cmdq.smmu.text.CommandParser;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks vector rows both ways. A row passes when:
 * <ol>
 *   <li>{@code opcode} and {@code opcode_name} name the same known command (aliases accepted);</li>
 *   <li><b>encode</b>: every {@code inputs} key is a kernel input ({@link dev.cmdq.smmu.linux.LinuxInputKey}),
 *       and {@link LinuxCommandBuilder} writes exactly {@code cmd0}/{@code cmd1} into a slot that was
 *       full of ones before (so every bit is written);</li>
 *   <li><b>decode</b>: for each {@code qemu_decoded} key, the value read from {@code cmd0}/{@code cmd1}
 *       equals the expected one — read through cmdq's field of the same meaning
 *       ({@link QemuMacro#cmdqField()}) when the command has that field at QEMU's position; through
 *       QEMU's macro where QEMU reads bits the command does not define (e.g. {@code asid} of
 *       TLBI_S2_IPA) or reads them elsewhere (PRI_RESP {@code resp}, §7.1; TLBI_S2_IPA {@code addr},
 *       which QEMU reads as 63:12); and for each {@code extra_decoded} key, cmdq's field of that
 *       name equals the expected value.</li>
 * </ol>
 * A row with an unknown opcode, name, input key or decoded key fails; nothing is skipped. Not
 * thread-safe.
 */
public final class VectorCheck
{
    private final LinuxCommandBuilder builder = new LinuxCommandBuilder();
    private final LinuxCommandInput input = new LinuxCommandInput();
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[CommandWords.COMMAND_BYTES]);

    /**
     * Pass/fail counts of a run.
     *
     * @param passed rows that passed.
     * @param failed rows that failed.
     */
    public record Summary(int passed, int failed)
    {
        /**
         * @return the plain summary line, {@code N passed, M failed}.
         */
        @Override
        public String toString()
        {
            return passed + " passed, " + failed + " failed";
        }
    }

    /**
     * Checks every row.
     *
     * @param rows     the rows.
     * @param failures receives one line per failing row: {@code row N (line L): what differed}.
     * @return the counts.
     */
    public Summary checkAll(final List<VectorRow> rows, final Consumer<String> failures)
    {
        int passed = 0;
        int failed = 0;
        for (final VectorRow row : rows)
        {
            final String problem = check(row);
            if (problem == null)
            {
                passed++;
            }
            else
            {
                failed++;
                failures.accept("row " + row.number() + " (line " + row.line() + ", " + row.opcodeName() + "): " + problem);
            }
        }
        return new Summary(passed, failed);
    }

    /**
     * @param row a row.
     * @return null when the row passes both ways, else what differed ({@code "; "}-separated).
     */
    public String check(final VectorRow row)
    {
        if (row.malformed() != null)
        {
            return row.malformed();
        }
        final StringBuilder problems = new StringBuilder();
        final Opcode opcode;
        final long cmd0;
        final long cmd1;
        try
        {
            opcode = resolveOpcode(row);
            cmd0 = CommandParser.parseValue("cmd0", row.cmd0());
            cmd1 = CommandParser.parseValue("cmd1", row.cmd1());
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }

        checkEncode(row, opcode, cmd0, cmd1, problems);
        checkQemuDecoded(row, opcode, cmd0, cmd1, problems);
        checkExtraDecoded(row, opcode, cmd0, cmd1, problems);
        return problems.length() == 0 ? null : problems.toString();
    }

    private static Opcode resolveOpcode(final VectorRow row)
    {
        final Opcode byName = Opcode.ofName(row.opcodeName());
        if (byName == Opcode.UNKNOWN)
        {
            throw new IllegalArgumentException("unknown opcode name '" + row.opcodeName() + "'");
        }
        if (!row.opcode().isEmpty())
        {
            final long value = CommandParser.parseValue("opcode", row.opcode());
            final Opcode byValue = value > 0xFF ? Opcode.UNKNOWN : Opcode.of((int)value);
            if (byValue == Opcode.UNKNOWN)
            {
                throw new IllegalArgumentException("unknown opcode " + row.opcode());
            }
            if (byValue != byName)
            {
                throw new IllegalArgumentException(
                    "opcode " + row.opcode() + " is " + byValue + ", but opcode_name says " + row.opcodeName());
            }
        }
        return byName;
    }

    private void checkEncode(
        final VectorRow row, final Opcode opcode, final long cmd0, final long cmd1, final StringBuilder problems)
    {
        try
        {
            input.parse(row.inputs());
            CommandWords.put(slot, 0, -1L, -1L);
            builder.build(opcode, input, slot, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            append(problems, "encode: " + ex.getMessage());
            return;
        }
        final long got0 = CommandWords.dword0(slot, 0);
        final long got1 = CommandWords.dword1(slot, 0);
        if (got0 != cmd0)
        {
            append(problems, "encode cmd0 expected " + hex(cmd0) + " got " + hex(got0));
        }
        if (got1 != cmd1)
        {
            append(problems, "encode cmd1 expected " + hex(cmd1) + " got " + hex(got1));
        }
    }

    private static void checkQemuDecoded(
        final VectorRow row, final Opcode opcode, final long cmd0, final long cmd1, final StringBuilder problems)
    {
        forEachPair(row.qemuDecoded(), "qemu_decoded", problems, (key, expected) ->
        {
            final QemuMacro macro = QemuMacro.of(key);
            if (macro == null)
            {
                return "qemu_decoded key '" + key + "' is no QEMU CMD_* macro";
            }
            final long actual;
            if (macro == QemuMacro.TYPE)
            {
                actual = cmd0 & CommandLayout.OPCODE_MASK;
            }
            else
            {
                final CommandField field = opcode.field(macro.cmdqField());
                actual = field != null && macro.samePositionAs(field) ? field.get(cmd0, cmd1) : macro.read(cmd0, cmd1);
            }
            return actual == expected ? null : "qemu_decoded " + key + " expected 0x" + Long.toHexString(expected) + " got 0x" + Long.toHexString(actual);
        });
    }

    private static void checkExtraDecoded(
        final VectorRow row, final Opcode opcode, final long cmd0, final long cmd1, final StringBuilder problems)
    {
        forEachPair(row.extraDecoded(), "extra_decoded", problems, (key, expected) ->
        {
            final CommandField field = opcode.field(key);
            if (field == null)
            {
                return "extra_decoded key '" + key + "' is no field of " + opcode;
            }
            final long actual = field.get(cmd0, cmd1);
            return actual == expected ? null : "extra_decoded " + key + " expected 0x" + Long.toHexString(expected) + " got 0x" + Long.toHexString(actual);
        });
    }

    private interface PairCheck
    {
        String check(String key, long expected);
    }

    private static void forEachPair(
        final String pairs, final String column, final StringBuilder problems, final PairCheck check)
    {
        if (pairs.isEmpty())
        {
            return;
        }
        for (final String pair : pairs.split(";", -1))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0)
            {
                append(problems, column + " entry '" + pair + "' is not name=value");
                continue;
            }
            final String key = pair.substring(0, eq).trim();
            final long expected;
            try
            {
                expected = CommandParser.parseValue(column + "." + key, pair.substring(eq + 1).trim());
            }
            catch (final IllegalArgumentException ex)
            {
                append(problems, ex.getMessage());
                continue;
            }
            final String problem = check.check(key, expected);
            if (problem != null)
            {
                append(problems, problem);
            }
        }
    }

    private static void append(final StringBuilder problems, final String problem)
    {
        if (problems.length() > 0)
        {
            problems.append("; ");
        }
        problems.append(problem);
    }

    private static String hex(final long value)
    {
        return String.format("0x%016x", value);
    }
}
