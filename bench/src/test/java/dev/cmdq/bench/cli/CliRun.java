package dev.cmdq.bench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Runs {@link CmdqCommand#execute} with System.out and System.err captured.
 *
 * @param exit exit status.
 * @param out  what was printed on System.out.
 * @param err  what was printed on System.err.
 */
record CliRun(int exit, String out, String err)
{
    static synchronized CliRun run(final String... args)
    {
        final PrintStream originalOut = System.out;
        final PrintStream originalErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            System.setOut(o);
            System.setErr(e);
            final int exit = CmdqCommand.execute(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    String[] outLines()
    {
        return out.strip().split("\\R");
    }

    /**
     * @return ../shared/vectors/smmuv3-cmd-vectors.csv via cmdq.shared.dir, else a sibling 'shared'
     *         of user.dir or a parent.
     */
    static Path commandVectors()
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
        throw new IllegalStateException("no shared vectors: set -Dcmdq.shared.dir");
    }
}
