package dev.cmdq.smmu.vector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a command-vector CSV (columns {@code opcode_name, opcode, inputs, cmd0, cmd1, qemu_decoded,
 * extra_decoded}, found by header name so their order may vary). Fields may be double-quoted
 * (RFC 4180). Blank lines are skipped; a line that does not split into the header's columns becomes a
 * row marked {@link VectorRow#malformed()}, which fails the check rather than being skipped.
 */
public final class VectorFile
{
    /** The columns a vector file must have. */
    public static final List<String> COLUMNS =
        List.of("opcode_name", "opcode", "inputs", "cmd0", "cmd1", "qemu_decoded", "extra_decoded");

    private VectorFile()
    {
    }

    /**
     * @param path the CSV file.
     * @return its rows, in file order.
     * @throws IOException if the file cannot be read.
     * @throws IllegalArgumentException if the file is empty or the header lacks a column.
     */
    public static List<VectorRow> read(final Path path) throws IOException
    {
        return parse(Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    /**
     * @param lines the file's lines, header first.
     * @return its rows.
     * @throws IllegalArgumentException if the list is empty or the header lacks a column.
     */
    public static List<VectorRow> parse(final List<String> lines)
    {
        if (lines.isEmpty())
        {
            throw new IllegalArgumentException("vector file is empty (no header)");
        }
        final List<String> header = split(lines.get(0));
        if (header == null)
        {
            throw new IllegalArgumentException("header line has an unterminated quote");
        }
        final int[] index = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++)
        {
            index[c] = header.indexOf(COLUMNS.get(c));
            if (index[c] < 0)
            {
                throw new IllegalArgumentException("header has no column '" + COLUMNS.get(c) + "': " + header);
            }
        }
        final List<VectorRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            if (lines.get(i).isBlank())
            {
                continue;
            }
            final List<String> f = split(lines.get(i));
            if (f == null || f.size() != header.size())
            {
                final String why = f == null ?
                    "unterminated quote" : f.size() + " fields where the header has " + header.size();
                rows.add(new VectorRow(rows.size() + 1, i + 1, "?", "", "", "", "", "", "", "malformed line: " + why));
                continue;
            }
            rows.add(new VectorRow(
                rows.size() + 1, i + 1,
                f.get(index[0]), f.get(index[1]), f.get(index[2]), f.get(index[3]), f.get(index[4]),
                f.get(index[5]), f.get(index[6]), null));
        }
        return rows;
    }

    private static List<String> split(final String line)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"')
                    {
                        field.append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.append(c);
                }
            }
            else if (c == '"' && field.length() == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.add(field.toString().trim());
                field.setLength(0);
            }
            else
            {
                field.append(c);
            }
        }
        if (quoted)
        {
            return null;
        }
        fields.add(field.toString().trim());
        return fields;
    }
}
