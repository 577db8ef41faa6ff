package dev.cmdq.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cmdq stress}: a short inline run ends with {@code N passed, 0 failed}, exit 0, and leaves both
 * report files; bad parameters are usage errors (exit 2).
 */
class StressCommandTest
{
    @TempDir
    Path dir;

    @Test
    void aShortInlineRunPassesAndWritesBothReportFiles() throws IOException
    {
        final CliRun run = CliRun.run("stress", "--engines", "INLINE", "--vms", "3", "--producers", "1", "--steps", "60",
            "--seconds", "0", "--seed", "4", "--report-dir", dir.toString(), "--counts", dir.resolve("c.properties").toString());
        assertEquals(0, run.exit(), run.err());
        final String[] lines = run.outLines();
        assertTrue(lines[lines.length - 1].matches(
            "[1-9][0-9]* passed, 0 failed \\(exactly-once: [1-9][0-9]* commands settled over [1-9][0-9]* owners\\)"),
            lines[lines.length - 1]);
        assertTrue(run.out().contains("violations       0"), run.out());
        final String json = Files.readString(dir.resolve("stress.json"), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"harness\":\"stress\",\"revision\":\""), json);
        assertTrue(json.contains("\"seed\":4,\"vms\":3,\"producers\":1"), json);
        assertTrue(json.contains("\"hostStrategy\":\"LINUX_LOCKFREE\""), json);
        assertEquals(json.indexOf("\"hostStrategy\""), json.lastIndexOf("\"hostStrategy\""), "one hostStrategy key: " + json);
        assertTrue(Pattern.compile("\"settledCommands\":[1-9][0-9]*,").matcher(json).find(), json);
        assertTrue(Files.readString(dir.resolve("c.properties"), StandardCharsets.UTF_8).contains("violations=0"));
    }

    @Test
    void badParametersAreUsageErrors()
    {
        final CliRun run = CliRun.run("stress", "--vms", "2", "--producers", "3", "--report-dir", dir.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("producers: must be in 1..2"), run.err());
    }
}
