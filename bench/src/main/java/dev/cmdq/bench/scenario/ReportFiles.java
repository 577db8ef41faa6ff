package dev.cmdq.bench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a run's report directory ({@code compare.json}, {@code compare.md}, {@code compare.png}) and
 * finds the git revision the run was built from.
 */
public final class ReportFiles
{
    /** The JSON file's name. */
    public static final String JSON = "compare.json";
    /** The Markdown file's name. */
    public static final String MARKDOWN = "compare.md";
    /** The chart's name. */
    public static final String CHART = "compare.png";

    private ReportFiles()
    {
    }

    /**
     * @param report the run.
     * @param dir    the directory, created when missing.
     * @return the three files written.
     * @throws IOException when one cannot be written.
     */
    public static List<Path> write(final CompareReport report, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final Path json = dir.resolve(JSON);
        final Path md = dir.resolve(MARKDOWN);
        final Path png = dir.resolve(CHART);
        Files.writeString(json, CompareJson.write(report) + "\n", StandardCharsets.UTF_8);
        Files.writeString(md, CompareMarkdown.write(report), StandardCharsets.UTF_8);
        LatencyChart.writePng(report, png);
        return List.of(json, md, png);
    }

    /**
     * @return {@code git rev-parse HEAD} of the current directory's repository, or "unknown" when git is
     *         missing, fails or takes over 5 s.
     */
    public static String gitRevision()
    {
        try
        {
            final Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return "unknown";
            }
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
