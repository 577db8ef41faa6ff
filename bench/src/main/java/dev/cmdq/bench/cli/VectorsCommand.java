package dev.cmdq.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.cmdq.smmu.vector.VectorCheck;
import dev.cmdq.smmu.vector.VectorFile;
import dev.cmdq.smmu.vector.VectorRow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cmdq vectors FILE}: checks a command-vector CSV both ways (encode the Linux inputs, decode the
 * words), prints one line per failing row and ends with {@code N passed, M failed}. Exit status 0 only
 * when no row failed; 1 when some did; 2 when the file cannot be read or has no usable header.
 */
@Command(
    name = "vectors",
    mixinStandardHelpOptions = true,
    description = {
        "Checks a command-vector CSV both ways; prints failing rows, then 'N passed, M failed'.",
        "Columns: opcode_name, opcode, inputs, cmd0, cmd1, qemu_decoded, extra_decoded. Encoding the Linux",
        "inputs must give cmd0/cmd1; decoding cmd0/cmd1 must give every decoded field. Rows with an",
        "unknown opcode or input key fail; none are skipped. Exit 0 only if no row failed."})
public final class VectorsCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vector CSV")
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
        final List<VectorRow> rows;
        try
        {
            rows = VectorFile.read(file);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            err.println("cmdq vectors: " + file + ": " + ex.getMessage());
            err.flush();
            return 2;
        }
        final VectorCheck.Summary summary = new VectorCheck().checkAll(rows, out::println);
        out.println(summary);
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }
}
