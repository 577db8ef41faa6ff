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
 * {@code cmdq vectors FILE} on the public vectors and on a damaged copy.
 */
class VectorsCommandTest
{
    @Test
    void everyPublicRowPasses()
    {
        final CliRun run = CliRun.run("vectors", CliRun.commandVectors().toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals(List.of("300 passed, 0 failed"), List.of(run.outLines()));
    }

    @Test
    void aCorruptedRowAndUnknownOnesFailWithTheirRowNumbers(@TempDir final Path dir) throws IOException
    {
        final List<String> real = Files.readAllLines(CliRun.commandVectors());
        final List<String> lines = new ArrayList<>(real.subList(0, 4));
        // Row 4: a real TLBI_NH_VA row with one bit of cmd0 flipped (VMID bit 0).
        final String nhVa = real.stream().filter(l -> l.startsWith("TLBI_NH_VA,0x12,asid=0x1;vmid=0x7e2b")).findFirst().orElseThrow();
        lines.add(nhVa.replace(",0x00017e2b00000012,", ",0x00017e2a00000012,"));
        // Row 5: an opcode no command has.
        lines.add("TLBI_NH_FOO,0x17,vmid=0x1,0x0000000100000017,0x0000000000000000,type=0x17;vmid=0x1,");
        // Row 6: an input key that is no arm_smmu_cmdq_ent field.
        lines.add("TLBI_NH_ALL,0x10,vmid=0x1;pasid=0x3,0x0000000100000010,0x0000000000000000,type=0x10;vmid=0x1,");
        // Row 7: a line that does not split into the header's columns.
        lines.add("TLBI_NH_ALL,0x10");
        final Path file = dir.resolve("damaged.csv");
        Files.write(file, lines);

        final CliRun run = CliRun.run("vectors", file.toString());
        assertEquals(1, run.exit(), run.out() + run.err());
        final String[] out = run.outLines();
        assertEquals(5, out.length, run.out());
        assertTrue(out[0].startsWith("row 4 ") && out[0].contains("cmd0"), out[0]);
        assertTrue(out[1].startsWith("row 5 ") && out[1].contains("TLBI_NH_FOO"), out[1]);
        assertTrue(out[2].startsWith("row 6 ") && out[2].contains("pasid"), out[2]);
        assertTrue(out[3].startsWith("row 7 ") && out[3].contains("malformed"), out[3]);
        assertEquals("3 passed, 4 failed", out[4]);
    }

    @Test
    void anUnreadableFileIsExitTwo(@TempDir final Path dir)
    {
        final CliRun run = CliRun.run("vectors", dir.resolve("missing.csv").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("missing.csv"), run.err());
    }
}
