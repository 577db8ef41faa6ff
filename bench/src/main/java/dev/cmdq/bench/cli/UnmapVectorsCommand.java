package dev.cmdq.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.cmdq.smmu.vector.VectorCheck;
import dev.cmdq.vcmdq.guest.UnmapVectorCheck;
import dev.cmdq.vcmdq.guest.UnmapVectorFile;
import dev.cmdq.vcmdq.guest.UnmapVectorRow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cmdq unmap-vectors FILE}: runs every row of an unmap-sequence CSV through the guest driver
 * model, prints one line per failing row and ends with {@code N passed, M failed}. Exit status 0 only
 * when no row failed; 1 when some did; 2 when the file cannot be read or has no usable header.
 */
@Command(
    name = "unmap-vectors",
    mixinStandardHelpOptions = true,
    description = {
        "Checks a Linux unmap-sequence CSV against the guest driver model.",
        "Prints one line per failing row, then 'N passed, M failed'.",
        "Columns: op, inputs, commands, n_cmds, n_syncs, issues. Each row's",
        "request must give exactly its commands (syncs included), counts and",
        "insertion split. Unknown ops or input keys fail; nothing is skipped.",
        "Exit 0 only if no row failed; 2 if the file is unusable."})
public final class UnmapVectorsCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the unmap-sequence CSV")
    private Path file;

    /**
     * Runs the check.
     *
     * @return 0 when every row passed, 1 when any failed, 2 when the file is unusable.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<UnmapVectorRow> rows;
        try
        {
            rows = UnmapVectorFile.read(file);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            err.println("cmdq unmap-vectors: " + file + ": " + ex.getMessage());
            err.flush();
            return 2;
        }
        final VectorCheck.Summary summary = new UnmapVectorCheck().checkAll(rows, out::println);
        out.println(summary);
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }
}
