package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.smmu.text.CommandParser;
import dev.cmdq.smmu.vector.VectorCheck;

import java.util.List;
import java.util.function.Consumer;

/**
 * Checks unmap-sequence vector rows (linux-unmap-sequences.md §7). A row passes when its {@code op}
 * and every {@code inputs} key are known and valid ({@link UnmapInputs}), and running the request
 * through the guest driver ({@link GuestInvalidator}, with a {@link CommandBatch} of the row's
 * FORCE_SYNC option over an {@link IssueRecorder} writing the row's CMD_SYNC form) gives exactly:
 * <ul>
 *   <li>{@code commands}: every entry, syncs included, in order;</li>
 *   <li>{@code n_cmds} and {@code n_syncs}: the entry count and the CMD_SYNC count;</li>
 *   <li>{@code issues}: the insertion split.</li>
 * </ul>
 * Nothing is skipped: a malformed line, an unknown op or key fails. Not thread-safe.
 */
public final class UnmapVectorCheck
{
    private final UnmapRequest request = new UnmapRequest();
    private final UnmapInputs inputs = new UnmapInputs();
    private final GuestInvalidator invalidator = new GuestInvalidator();
    private final IssueRecorder recorder = new IssueRecorder(CmdSyncCompletion.LINUX);
    private final CommandBatch batch = new CommandBatch(recorder, false);
    private final CommandBatch forceSyncBatch = new CommandBatch(recorder, true);

    /**
     * Checks every row.
     *
     * @param rows     the rows.
     * @param failures receives one line per failing row: {@code row N (line L, op): what differed}.
     * @return the counts.
     */
    public VectorCheck.Summary checkAll(final List<UnmapVectorRow> rows, final Consumer<String> failures)
    {
        int passed = 0;
        int failed = 0;
        for (final UnmapVectorRow row : rows)
        {
            final String problem = check(row);
            if (problem == null)
            {
                passed++;
            }
            else
            {
                failed++;
                failures.accept("row " + row.number() + " (line " + row.line() + ", " + row.op() + "): " + problem);
            }
        }
        return new VectorCheck.Summary(passed, failed);
    }

    /**
     * @param row a row.
     * @return null when the row passes, else what differed ({@code "; "}-separated).
     */
    public String check(final UnmapVectorRow row)
    {
        if (row.malformed() != null)
        {
            return row.malformed();
        }
        final UnmapOp op = UnmapOp.ofCsvName(row.op());
        if (op == null)
        {
            return "unknown op '" + row.op() + "'";
        }
        final long[] expected;
        final long nCmds;
        final long nSyncs;
        try
        {
            inputs.parse(op, row.inputs(), request);
            expected = parseCommands(row.commands());
            nCmds = CommandParser.parseValue("n_cmds", row.nCmds());
            nSyncs = CommandParser.parseValue("n_syncs", row.nSyncs());
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }

        recorder.reset(inputs.completion());
        try
        {
            invalidator.invalidate(request, inputs.forceSync() ? forceSyncBatch : batch);
        }
        catch (final IllegalArgumentException ex)
        {
            return "request refused: " + ex.getMessage();
        }

        final StringBuilder problems = new StringBuilder();
        compareCommands(expected, problems);
        if (nCmds != recorder.count())
        {
            append(problems, "n_cmds expected " + nCmds + " got " + recorder.count());
        }
        if (nSyncs != recorder.syncs())
        {
            append(problems, "n_syncs expected " + nSyncs + " got " + recorder.syncs());
        }
        if (!row.issues().equals(recorder.issues()))
        {
            append(problems, "issues expected " + row.issues() + " got " + recorder.issues());
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    /**
     * Parses the {@code commands} column.
     *
     * @param commands {@code dw0:dw1} entries joined by {@code |}, 16 hex digits each; empty = none.
     * @return the words, dword 0 then dword 1 of each entry.
     * @throws IllegalArgumentException naming the entry that is not two 16-digit hex words.
     */
    public static long[] parseCommands(final String commands)
    {
        if (commands.isEmpty())
        {
            return new long[0];
        }
        final String[] entries = commands.split("\\|", -1);
        final long[] words = new long[2 * entries.length];
        for (int i = 0; i < entries.length; i++)
        {
            final String entry = entries[i];
            if (entry.length() != 33 || entry.charAt(16) != ':')
            {
                throw new IllegalArgumentException("commands entry " + i + " '" + entry + "' is not dw0:dw1 (16 hex digits each)");
            }
            try
            {
                words[2 * i] = Long.parseUnsignedLong(entry.substring(0, 16), 16);
                words[2 * i + 1] = Long.parseUnsignedLong(entry.substring(17), 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("commands entry " + i + " '" + entry + "' is not hexadecimal", ex);
            }
        }
        return words;
    }

    private void compareCommands(final long[] expected, final StringBuilder problems)
    {
        final int expectedCount = expected.length / 2;
        final int common = Math.min(expectedCount, recorder.count());
        for (int i = 0; i < common; i++)
        {
            if (expected[2 * i] != recorder.dword0(i) || expected[2 * i + 1] != recorder.dword1(i))
            {
                append(problems, "commands[" + i + "] expected " + entry(expected[2 * i], expected[2 * i + 1]) +
                    " got " + entry(recorder.dword0(i), recorder.dword1(i)));
                return;
            }
        }
        if (expectedCount != recorder.count())
        {
            append(problems, "commands: expected " + expectedCount + " entries, got " + recorder.count() +
                " (first " + common + " equal)");
        }
    }

    private static String entry(final long dword0, final long dword1)
    {
        return String.format("%016x:%016x", dword0, dword1);
    }

    private static void append(final StringBuilder problems, final String problem)
    {
        if (problems.length() > 0)
        {
            problems.append("; ");
        }
        problems.append(problem);
    }
}
