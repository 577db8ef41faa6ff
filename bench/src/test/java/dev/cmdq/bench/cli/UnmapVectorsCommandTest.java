package dev.cmdq.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cmdq unmap-vectors FILE} on the public unmap vectors and on a small damaged file.
 */
class UnmapVectorsCommandTest
{
    private static Path unmapVectors()
    {
        return CliRun.commandVectors().resolveSibling("linux-unmap-sequences.csv");
    }

    @Test
    void everyPublicRowPasses()
    {
        final CliRun run = CliRun.run("unmap-vectors", unmapVectors().toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals(List.of("150 passed, 0 failed"), List.of(run.outLines()));
    }

    @Test
    void aWrongRowAnUnknownOpAndAnUnknownKeyFailWithTheirRowNumbers(@TempDir final Path dir) throws IOException
    {
        final List<String> real = Files.readAllLines(unmapVectors());
        final String header = real.get(0);
        // The first public row: one 4 KiB leaf page without RIL, asid 0x2a, then a CS=SEV sync.
        final String onePage = real.get(1);
        assertTrue(onePage.contains("002a000000000012:00000000fffff001|000000000fc02046"), onePage);
        final List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.add(onePage);
        // Row 2: the same row with its TLBI's LEAF bit cleared in the expected words.
        lines.add(onePage.replace("00000000fffff001", "00000000fffff000"));
        // Row 3: an op the driver has not.
        lines.add(onePage.replace("tlb_inv_range_asid,", "tlb_inv_range_s2,"));
        // Row 4: an input key no op has.
        lines.add(onePage.replace("asid=0x2a;", "asid=0x2a;pasid=0x5;"));
        final Path file = dir.resolve("damaged.csv");
        Files.write(file, lines);

        final CliRun run = CliRun.run("unmap-vectors", file.toString());
        assertEquals(1, run.exit(), run.out() + run.err());
        final String[] out = run.outLines();
        assertEquals(4, out.length, run.out());
        assertTrue(out[0].startsWith("row 2 ") && out[0].contains("tlb_inv_range_asid") && out[0].contains("commands[0]"), out[0]);
        assertTrue(out[1].startsWith("row 3 ") && out[1].contains("tlb_inv_range_s2"), out[1]);
        assertTrue(out[2].startsWith("row 4 ") && out[2].contains("pasid"), out[2]);
        assertEquals("1 passed, 3 failed", out[3]);
    }

    @Test
    void anUnreadableFileIsExitTwo(@TempDir final Path dir)
    {
        final CliRun run = CliRun.run("unmap-vectors", dir.resolve("missing.csv").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("missing.csv"), run.err());
    }
}
