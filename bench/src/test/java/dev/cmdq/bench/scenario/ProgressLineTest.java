package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain lines when not a terminal, one rewritten line ending in a newline when it is.
 */
class ProgressLineTest
{
    @Test
    void notATerminalPrintsOneLinePerFinishedTask()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine p = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 2);
        p.begin("4K x1", 10);
        p.advance(5);
        p.end();
        p.begin("4K x2", 10);
        p.end();
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("[1/2] 4K x1 done in "), lines[0]);
        assertTrue(lines[1].startsWith("[2/2] 4K x2 done in "), lines[1]);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void aTerminalRewritesOneLineAndEndsItAfterTheLastTask()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine p = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 1);
        p.begin("256K x2", 4);
        p.end();
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\r[1/1] 256K x2"), out);
        assertTrue(out.contains("100%"), out);
        assertTrue(out.endsWith("\n"), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
    }
}
