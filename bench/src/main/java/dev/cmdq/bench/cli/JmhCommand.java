package dev.cmdq.bench.cli;

import dev.cmdq.bench.JvmFlags;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.concurrent.Callable;

/**
 * {@code cmdq jmh [JMH options] [benchmark regexps]}: the full JMH command line over the suite, with the
 * fork JVM flags of the parent pom appended, so no flag has to be typed by hand.
 */
@Command(name = "jmh", description = "Run JMH with its own options (e.g. 'cmdq jmh -prof gc RingSingleThread').")
public final class JmhCommand implements Callable<Integer>
{
    /** Every argument is JMH's: none is parsed by picocli. */
    @Unmatched
    private java.util.List<String> args = new java.util.ArrayList<>();

    /**
     * Runs JMH.
     *
     * @return 0 on success.
     * @throws Exception if JMH's arguments are invalid or a benchmark fails.
     */
    @Override
    public Integer call() throws Exception
    {
        final CommandLineOptions cli = new CommandLineOptions(args.toArray(new String[0]));
        // A child option replaces the parent's: keep the user's -jvmArgsAppend and add the module flags.
        final java.util.List<String> append = new java.util.ArrayList<>(JvmFlags.forRunningJdk());
        if (cli.getJvmArgsAppend().hasValue())
        {
            append.addAll(cli.getJvmArgsAppend().get());
        }
        new Runner(new OptionsBuilder()
            .parent(cli)
            .jvmArgsAppend(append.toArray(new String[0]))
            .build()).run();
        return 0;
    }
}
