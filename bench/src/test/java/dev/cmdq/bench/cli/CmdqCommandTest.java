package dev.cmdq.bench.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The top-level command lists its subcommands and rejects unknown ones with a non-zero exit.
 */
final class CmdqCommandTest
{
    static String captureOut(final Runnable action)
    {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheSubcommands()
    {
        final int[] code = new int[1];
        final String out = captureOut(() -> code[0] = CmdqCommand.execute("--help"));
        assertEquals(0, code[0]);
        assertTrue(out.contains("bench-ring"), out);
        assertTrue(out.contains("jmh"), out);
    }

    @Test
    void unknownSubcommandFails()
    {
        final PrintStream savedErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try
        {
            assertNotEquals(0, CmdqCommand.execute("no-such-command"));
        }
        finally
        {
            System.setErr(savedErr);
        }
    }
}
