package dev.cmdq.bench.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.cmdq.smmu.text.CommandParser;
import dev.cmdq.smmu.text.CommandPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cmdq decode HEX0 HEX1}: prints the one-line form of the command whose dwords are given.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = "Prints the one-line form of a command given its two 64-bit words (hex, 0x optional).")
public final class DecodeCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HEX0", description = "dword 0")
    private String dword0;

    @Parameters(index = "1", paramLabel = "HEX1", description = "dword 1")
    private String dword1;

    /**
     * Decodes and prints.
     *
     * @return 0, or 2 for a word that is not hex.
     */
    @Override
    public Integer call()
    {
        final long word0;
        final long word1;
        try
        {
            word0 = parseHex("HEX0", dword0);
            word1 = parseHex("HEX1", dword1);
        }
        catch (final IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println("cmdq decode: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(CommandPrinter.toString(word0, word1));
        out.flush();
        return 0;
    }

    private static long parseHex(final String name, final String text)
    {
        final String digits = text.startsWith("0x") || text.startsWith("0X") ? text : "0x" + text;
        return CommandParser.parseValue(name, digits);
    }
}
