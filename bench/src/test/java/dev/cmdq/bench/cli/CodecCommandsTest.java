package dev.cmdq.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code cmdq decode} and {@code cmdq encode}: expected text written by hand from the field tables,
 * and the round trip over every public vector's words.
 */
class CodecCommandsTest
{
    @Test
    void decodePrintsTheLineForm()
    {
        // linux-unmap-sequences.md §3.2, PG 64 KiB example: SCALE 13, NUM 2, TG 3, TTL 2, ASID 7, leaf.
        final CliRun run = CliRun.run("decode", "0007000000d02012", "0x0000000060000e01");
        assertEquals(0, run.exit(), run.err());
        assertEquals("TLBI_NH_VA vmid=0x0 asid=0x7 addr=0x60000000 num=0x2 scale=0xd tg=0x3 ttl=0x2 leaf=1", run.out().strip());
    }

    @Test
    void encodePrintsTheTwoWords()
    {
        final CliRun run = CliRun.run("encode", "CMD_SYNC cs=0x2 msh=0x3 msiattr=0xf");
        assertEquals(0, run.exit(), run.err());
        assertEquals("0x000000000fc02046 0x0000000000000000", run.out().strip());
        assertEquals("0x0000000000000004 0x000000000000001f", CliRun.run("encode", "CFGI_ALL").out().strip());
    }

    @Test
    void decodeThenEncodeGivesTheSameWordsForEveryPublicVector() throws IOException
    {
        final List<String> lines = Files.readAllLines(CliRun.commandVectors());
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] f = line.split(",", -1);
            final CliRun decoded = CliRun.run("decode", f[3], f[4]);
            assertEquals(0, decoded.exit(), line);
            final CliRun encoded = CliRun.run("encode", decoded.out().strip());
            assertEquals(0, encoded.exit(), decoded.out() + encoded.err());
            assertEquals(f[3] + " " + f[4], encoded.out().strip(), decoded.out());
        }
    }

    @Test
    void badInputIsExitTwoNamingTheProblem()
    {
        final CliRun badField = CliRun.run("encode", "TLBI_NH_VA vmid=0x10000");
        assertEquals(2, badField.exit());
        assertTrue(badField.err().contains("vmid"), badField.err());
        final CliRun badHex = CliRun.run("decode", "0xzz", "0");
        assertEquals(2, badHex.exit());
        assertTrue(badHex.err().contains("HEX0"), badHex.err());
    }
}
