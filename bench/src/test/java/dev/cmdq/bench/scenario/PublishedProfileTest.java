package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The derivation: two published rows in, four costs out; the one-thread model under those costs gives
 * back the four published latencies; running the model again reproduces them.
 */
class PublishedProfileTest
{
    private static final PublishedProfile.Calibration V4 = new PublishedProfile.Calibration(800, 0, 0, 2);
    private static final PublishedProfile.Calibration V256 = new PublishedProfile.Calibration(5000, 0, 0, 65);
    private static final PublishedProfile.Calibration T4 = new PublishedProfile.Calibration(2000, 2, 1, 2);
    private static final PublishedProfile.Calibration T256 = new PublishedProfile.Calibration(40000, 2, 64, 128);

    @Test
    void theDerivedCostsGiveBackTheFourPublishedLatencies()
    {
        final CostProfile p = PublishedProfile.derive(V4, V256, T4, T256);
        // Published (vcmdq-viommu.md §5.2): 4K x 1 = 35.7 / 5.3, 256K x 1 = 187.1 / 18.0 us.
        assertEquals(5.3, PublishedProfile.predictedUs(V4, p), 1e-9);
        assertEquals(18.0, PublishedProfile.predictedUs(V256, p), 1e-9);
        assertEquals(35.7, PublishedProfile.predictedUs(T4, p), 1e-9);
        assertEquals(187.1, PublishedProfile.predictedUs(T256, p), 1e-9);
        // By hand from the VCMDQ rows: hw = ((18000-5000) - (5300-800)) / 63, guest = 4500 - 2 hw.
        assertEquals(8500.0 / 63, p.hwCmdNs(), 1e-9);
        assertEquals(4500 - 2 * 8500.0 / 63, p.guestUnmapNs(), 1e-9);
        assertEquals("published", p.name());
    }

    @Test
    void theAssumptionsNameEveryUnknownOfThePublishedExperiment()
    {
        final String all = String.join("\n", PublishedProfile.derive(V4, V256, T4, T256).assumptions());
        for (final String unknown : List.of("page size 4 KiB", "range invalidation", "ATS", "other than invalidation",
            "per-command forwarding", "4K x 1 and 256K x 1"))
        {
            assertTrue(all.contains(unknown), unknown + " in " + all);
        }
    }

    @Test
    void aNegativeSolutionIsAnErrorNotAProfile()
    {
        final PublishedProfile.Calibration slow = new PublishedProfile.Calibration(6000, 0, 0, 2);
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> PublishedProfile.derive(slow, V256, T4, T256));
        assertTrue(ex.getMessage().contains("guestUnmapNs") || ex.getMessage().contains("hwCmdNs"), ex.getMessage());
    }

    @Test
    void reRunningTheTwoRowsUnderTheDerivedProfileReproducesThem()
    {
        final CompareSettings base = new CompareSettings(List.of(0x1000L), List.of(1), List.of(PathKind.values()),
            TimingMode.SIMULATED, false, false, "LINUX_LOCKFREE", 200, 2000, 0, 1, 7, CostProfile.ZERO);
        final CompareSettings calibration = PublishedProfile.calibrationSettings(base);
        final FakePath.Factory factory = new FakePath.Factory();
        final CostProfile derived = PublishedProfile.derive(new CompareRunner(factory, Progress.NONE).run(calibration));
        final List<CompareRow> again = new CompareRunner(factory, Progress.NONE).run(calibration.withCosts(derived));
        for (final CompareRow row : again)
        {
            final PublishedTable.Row pub = row.published();
            // The fake path's CPU time is tens of ns; noise between the two runs is far below 3 %.
            assertEquals(pub.trappedUs(), row.result(PathKind.TRAPPED_PER_COMMAND).medianUs(), pub.trappedUs() * 0.03,
                row.workload().granuleLabel() + " trapped");
            assertEquals(pub.vcmdqUs(), row.result(PathKind.VCMDQ).medianUs(), pub.vcmdqUs() * 0.03,
                row.workload().granuleLabel() + " vcmdq");
        }
    }

    @Test
    void calibrationRunsExactlyTheTwoRowsOnTrappedPerCommandAndVcmdqAtZeroCost()
    {
        final CompareSettings base = new CompareSettings(List.of(0x4000L), List.of(2), List.of(PathKind.TRAPPED_BATCHED),
            TimingMode.SIMULATED, true, true, "SPIN_LOCK", 1, 1, 0, 1, 7, new CostProfile("c", 1, 2, 3, 4, List.of()));
        final CompareSettings c = PublishedProfile.calibrationSettings(base);
        assertEquals(List.of(0x1000L, 0x4_0000L), c.granules());
        assertEquals(List.of(1), c.threads());
        assertEquals(List.of(PathKind.TRAPPED_PER_COMMAND, PathKind.VCMDQ), c.paths());
        assertTrue(c.costs().isZero());
        assertTrue(c.rangeInvalidation() && c.ats(), "the run's options are kept");
    }
}
