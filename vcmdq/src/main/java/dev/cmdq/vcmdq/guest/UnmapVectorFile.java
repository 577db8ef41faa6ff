package dev.cmdq.vcmdq.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an unmap-sequence vector CSV (columns {@code op, inputs, commands, n_cmds, n_syncs, issues},
 * found by header name so their order may vary). No field of this format contains a comma (pairs are
 * joined by {@code ;}, commands by {@code |}, issues by {@code /}), so lines split on commas and quoting
 * is not supported. Blank lines are skipped; a line that does not split into the header's columns
 * becomes a row marked {@link UnmapVectorRow#malformed()}, which fails the check rather than being
 * skipped.
 */
public final class UnmapVectorFile
{
    /** The columns a file must have. */
    public static final List<String> COLUMNS = List.of("op", "inputs", "commands", "n_cmds", "n_syncs", "issues");

    private UnmapVectorFile()
    {
    }

    /**
     * @param path the CSV file.
     * @return its rows, in file order.
     * @throws IOException if the file cannot be read.
     * @throws IllegalArgumentException if the file is empty or the header lacks a column.
     */
    public static List<UnmapVectorRow> read(final Path path) throws IOException
    {
        return parse(Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    /**
     * @param lines the file's lines, header first.
     * @return its rows.
     * @throws IllegalArgumentException if the list is empty or the header lacks a column.
     */
    public static List<UnmapVectorRow> parse(final List<String> lines)
    {
        if (lines.isEmpty())
        {
            throw new IllegalArgumentException("unmap vector file is empty (no header)");
        }
        final List<String> header = split(lines.get(0));
        final int[] index = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++)
        {
            index[c] = header.indexOf(COLUMNS.get(c));
            if (index[c] < 0)
            {
                throw new IllegalArgumentException("header has no column '" + COLUMNS.get(c) + "': " + header);
            }
        }
        final List<UnmapVectorRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            if (lines.get(i).isBlank())
            {
                continue;
            }
            final List<String> f = split(lines.get(i));
            if (f.size() != header.size())
            {
                rows.add(new UnmapVectorRow(rows.size() + 1, i + 1, "?", "", "", "", "", "",
                    "malformed line: " + f.size() + " fields where the header has " + header.size()));
                continue;
            }
            rows.add(new UnmapVectorRow(rows.size() + 1, i + 1,
                f.get(index[0]), f.get(index[1]), f.get(index[2]), f.get(index[3]), f.get(index[4]), f.get(index[5]),
                null));
        }
        return rows;
    }

    private static List<String> split(final String line)
    {
        final List<String> fields = new ArrayList<>(Arrays.asList(line.split(",", -1)));
        fields.replaceAll(String::trim);
        return fields;
    }
}
