package dev.cmdq.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One JMH run started from the command line: which benchmarks, how long, with the fork flags of
 * {@link JvmFlags}, the GC profiler when asked, and JSON results written to a file.
 */
public final class JmhRun
{
    private final List<String> includes = new ArrayList<>();
    private int forks = 2;
    private int warmupIterations = 3;
    private int measurementIterations = 5;
    private TimeValue iterationTime = TimeValue.seconds(1);
    private boolean gcProfiler;
    private Path json;
    private int threads = -1;
    private final java.util.Map<String, String[]> params = new java.util.LinkedHashMap<>();

    /**
     * @param regexp a benchmark include pattern (JMH regexp over fully qualified names).
     * @return this.
     */
    public JmhRun include(final String regexp)
    {
        includes.add(regexp);
        return this;
    }

    /**
     * @param forks number of forks per benchmark.
     * @return this.
     */
    public JmhRun forks(final int forks)
    {
        this.forks = forks;
        return this;
    }

    /**
     * @param warmup      warm-up iterations.
     * @param measurement measured iterations.
     * @param seconds     seconds per iteration (fractions allowed).
     * @return this.
     */
    public JmhRun iterations(final int warmup, final int measurement, final double seconds)
    {
        this.warmupIterations = warmup;
        this.measurementIterations = measurement;
        this.iterationTime = TimeValue.milliseconds(Math.round(seconds * 1000));
        return this;
    }

    /**
     * @param enabled whether to add {@code -prof gc} (allocation per operation).
     * @return this.
     */
    public JmhRun gcProfiler(final boolean enabled)
    {
        this.gcProfiler = enabled;
        return this;
    }

    /**
     * @param threads benchmark threads (producers).
     * @return this.
     */
    public JmhRun threads(final int threads)
    {
        this.threads = threads;
        return this;
    }

    /**
     * @param name   a {@code @Param} name.
     * @param values the values to run.
     * @return this.
     */
    public JmhRun param(final String name, final String... values)
    {
        params.put(name, values);
        return this;
    }

    /**
     * @param file where JMH writes its JSON results.
     * @return this.
     */
    public JmhRun json(final Path file)
    {
        this.json = file;
        return this;
    }

    /**
     * Runs the benchmarks.
     *
     * @return JMH's results.
     * @throws RunnerException if JMH fails.
     */
    public Collection<RunResult> run() throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .forks(forks)
            .warmupIterations(warmupIterations)
            .warmupTime(iterationTime)
            .measurementIterations(measurementIterations)
            .measurementTime(iterationTime)
            .jvmArgsAppend(JvmFlags.forRunningJdk().toArray(new String[0]))
            .shouldFailOnError(true);
        if (threads > 0)
        {
            options.threads(threads);
        }
        params.forEach(options::param);
        for (final String include : includes)
        {
            options.include(include);
        }
        if (gcProfiler)
        {
            options.addProfiler("gc");
        }
        if (json != null)
        {
            try
            {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
            options.result(json.toString()).resultFormat(ResultFormatType.JSON);
            // JMH's human-readable log goes beside the JSON, so the command line prints only its tables.
            final String log = json.toString().replaceFirst("\\.json$", "") + ".log";
            options.output(log);
            System.out.println("running JMH (" + String.join(", ", includes) + "); log: " + log);
        }
        return new Runner(options.build()).run();
    }
}
