package dev.cmdq.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cmdq} command line: one picocli command whose subcommands are the tools of the library
 * (benchmarks, vector checks, encoders). Each subcommand is its own class in this package.
 */
@Command(
    name = "cmdq",
    mixinStandardHelpOptions = true,
    version = "cmdq 0.1.0",
    description = "SMMUv3 command queue and VCMDQ library: benchmarks, vector checks, command tools.",
    subcommands = {
        CommandLine.HelpCommand.class,
        BenchRingCommand.class,
        BenchInsertCommand.class,
        JmhCommand.class,
        VectorsCommand.class,
        UnmapVectorsCommand.class,
        CompareCommand.class,
        DecodeCommand.class,
        EncodeCommand.class,
        FuzzCommand.class,
        StressCommand.class
    })
public final class CmdqCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting, for tests.
     *
     * @param args command-line arguments.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return new CommandLine(new CmdqCommand()).execute(args);
    }

    /**
     * With no subcommand, prints the usage.
     */
    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
