package dev.cmdq.bench.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.cmdq.smmu.text.CommandParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cmdq encode 'LINE'}: parses the one-line form and prints the two words as
 * {@code 0x<dword0> 0x<dword1>} (16 hex digits each), the arguments {@code cmdq decode} takes.
 */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
        "Parses a command's one-line form and prints its two 64-bit words.",
        "Example: cmdq encode 'TLBI_NH_VA vmid=0x1 asid=0x2 addr=0x7f0000001000 tg=0x1 ttl=0x3 leaf=1'.",
        "Several arguments are joined with spaces."})
public final class EncodeCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "LINE", description = "the command in its one-line form")
    private String[] line;

    /**
     * Parses and prints.
     *
     * @return 0, or 2 when the line does not parse (the message names the offending token).
     */
    @Override
    public Integer call()
    {
        final long[] words;
        try
        {
            words = CommandParser.parse(String.join(" ", line));
        }
        catch (final IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println("cmdq encode: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(String.format("0x%016x 0x%016x", words[0], words[1]));
        out.flush();
        return 0;
    }
}
