package dev.cmdq.bench.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code shared/vectors/smmuv3-cmd-vectors.csv} (found through {@code cmdq.shared.dir}, else a
 * sibling {@code shared} of the working directory or a parent) as (name, cmd0, cmd1) rows, by the
 * column names of its header.
 */
final class SharedCommandVectors
{
    /** One vector: the opcode name and the two words Linux built. */
    static final class Row
    {
        final int line;
        final String name;
        final long cmd0;
        final long cmd1;

        Row(final int line, final String name, final long cmd0, final long cmd1)
        {
            this.line = line;
            this.name = name;
            this.cmd0 = cmd0;
            this.cmd1 = cmd1;
        }

        @Override
        public String toString()
        {
            return "line " + line + " " + name + String.format(" %016x:%016x", cmd0, cmd1);
        }
    }

    private SharedCommandVectors()
    {
    }

    static List<Row> rows()
    {
        try
        {
            final List<String> lines = Files.readAllLines(file());
            final List<String> header = List.of(lines.get(0).split(","));
            final int name = header.indexOf("opcode_name");
            final int cmd0 = header.indexOf("cmd0");
            final int cmd1 = header.indexOf("cmd1");
            if (name < 0 || cmd0 < 0 || cmd1 < 0)
            {
                throw new IllegalStateException("vector header lacks opcode_name/cmd0/cmd1: " + header);
            }
            final List<Row> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++)
            {
                if (lines.get(i).isBlank())
                {
                    continue;
                }
                final String[] cells = lines.get(i).split(",", -1);
                rows.add(new Row(i + 1, cells[name], Long.parseUnsignedLong(cells[cmd0].substring(2), 16),
                    Long.parseUnsignedLong(cells[cmd1].substring(2), 16)));
            }
            return rows;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path file()
    {
        final String property = System.getProperty("cmdq.shared.dir");
        if (property != null && Files.isDirectory(Paths.get(property)))
        {
            return Paths.get(property, "vectors", "smmuv3-cmd-vectors.csv");
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path candidate = dir.resolveSibling("shared").resolve("vectors").resolve("smmuv3-cmd-vectors.csv");
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared vectors: set -Dcmdq.shared.dir (was " + property + ")");
    }
}
