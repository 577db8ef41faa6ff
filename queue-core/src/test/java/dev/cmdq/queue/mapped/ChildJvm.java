package dev.cmdq.queue.mapped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test's child process: the same {@code java}, class path and JVM flags as this test JVM (so the
 * module openings of the parent pom apply), running one {@code main} class. Its stdout is read line by
 * line with a bound; its stderr goes to a file that a failure message quotes.
 */
final class ChildJvm
{
    private final Process process;
    private final BufferedReader lines;
    private final Path stderr;

    private ChildJvm(final Process process, final Path stderr)
    {
        this.process = process;
        this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.stderr = stderr;
    }

    /**
     * @param main   the class whose {@code main} runs.
     * @param stderr where the child's stderr goes.
     * @param args   its arguments.
     * @return the started child.
     */
    static ChildJvm start(final Class<?> main, final Path stderr, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // This fork's JVM flags (the parent pom's), minus debugger and agent hooks.
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xrunjdwp"))
            {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
    }

    /**
     * @return the OS process.
     */
    Process process()
    {
        return process;
    }

    /**
     * Reads stdout until a line matches, at most {@code timeoutS} seconds; fails quoting the child's
     * stderr if the child ends (or the time runs out) first.
     */
    Matcher expect(final Pattern pattern, final long timeoutS) throws Exception
    {
        final CompletableFuture<Matcher> found = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    final Matcher m = pattern.matcher(line);
                    if (m.matches())
                    {
                        return m;
                    }
                }
                return null;
            }
            catch (final IOException e)
            {
                return null;
            }
        });
        Matcher m = null;
        try
        {
            m = found.get(timeoutS, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            found.cancel(true);
        }
        if (m == null)
        {
            fail("child " + process.pid() + " gave no line matching " + pattern + " within " + timeoutS + " s; stderr:\n" +
                (Files.exists(stderr) ? Files.readString(stderr) : "(none)"));
        }
        return m;
    }

    /**
     * SIGKILL, and waits for the child to be gone (reaped).
     *
     * @return the exit value (137 = 128 + SIGKILL).
     */
    int kill(final long timeoutS) throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(timeoutS, TimeUnit.SECONDS))
        {
            fail("child " + process.pid() + " still alive " + timeoutS + " s after SIGKILL");
        }
        return process.exitValue();
    }
}
