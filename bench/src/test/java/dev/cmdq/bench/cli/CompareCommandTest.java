package dev.cmdq.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmdq compare} end to end at CI size (a few rounds): the table, the three report files, the
 * published profile's predicted columns, and typed errors for bad options.
 */
class CompareCommandTest
{
    @Test
    void aSmallSimulatedRunPrintsTheTableAndWritesTheThreeFiles(@TempDir final Path dir) throws Exception
    {
        final CliRun run = CliRun.run("compare", "--quick", "--mode", "simulated", "--warmup-rounds", "5", "--rounds", "20",
            "--out", dir.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("mode: simulated"), run.out());
        assertTrue(run.out().contains("compare only the speed-up"), run.out());
        for (final String row : new String[] {"4K", "16K", "64K", "128K", "256K"})
        {
            assertTrue(run.out().lines().filter(l -> l.strip().startsWith(row + " ")).count() == 2, row + " x1 and x2 in\n" + run.out());
        }
        for (final String file : new String[] {"compare.json", "compare.md", "compare.png"})
        {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(dir.resolve("compare.json")).contains("\"rounds\":20"));
        assertTrue(run.err().contains("[20/20]"), "progress on stderr: " + run.err());
    }

    @Test
    void thePublishedProfileDerivesItsCostsAndPrintsPredictedBesidePublished(@TempDir final Path dir)
    {
        // Enough rounds that the calibration measures compiled code (interpreted CPU time can exceed 5.3 us).
        final CliRun run = CliRun.run("compare", "--profile", "published", "--mode", "simulated", "--warmup-rounds", "1000",
            "--rounds", "500", "--threads", "1,2", "--granules", "4,64", "--out", dir.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("profile published: vmExit="), run.out());
        assertTrue(run.out().contains("pub trapped us"), run.out());
        assertTrue(run.out().contains("151.5"), "published 64K x 2 trapped in\n" + run.out());
        assertTrue(run.out().contains("the other eight rows are predictions"), run.out());
    }

    @Test
    void hostLoadRunsInSimulatedModeAndIsRefusedInRealMode(@TempDir final Path dir) throws Exception
    {
        final CliRun run = CliRun.run("compare", "--mode", "simulated", "--host-load", "2000", "--hw-cmd-ns", "100", "--warmup-rounds", "5",
            "--rounds", "20", "--granules", "4", "--out", dir.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("host-load=2000"), run.out());
        assertTrue(Files.readString(dir.resolve("compare.json")).contains("\"hostLoad\":2000"));
        final CliRun real = CliRun.run("compare", "--mode", "real", "--host-load", "1", "--out", dir.toString());
        assertEquals(2, real.exit());
        assertTrue(real.err().contains("--host-load=1.0 needs --mode simulated"), real.err());
    }

    @Test
    void aBadOnOffValueIsATypedErrorNamingTheOption(@TempDir final Path dir)
    {
        final CliRun run = CliRun.run("compare", "--range-inv", "maybe", "--out", dir.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--range-inv=maybe is neither on nor off"), run.err());
        final CliRun mode = CliRun.run("compare", "--mode", "fast", "--out", dir.toString());
        assertEquals(2, mode.exit());
        assertTrue(mode.err().contains("--mode=fast is neither real nor simulated"), mode.err());
    }
}
