package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table, {@code compare.json} (parsed back with an independent parser), {@code compare.md} and the
 * PNG of a run over the fake path, whose counts per unmap are known by its formula.
 */
class ReportWritersTest
{
    private static CompareReport report(final CostProfile costs, final boolean predicted)
    {
        final CompareSettings s = new CompareSettings(List.of(0x1000L, 0x4_0000L), List.of(1, 2), List.of(PathKind.values()),
            TimingMode.SIMULATED, false, true, "LINUX_LOCKFREE", 2, 20, 0, 1, 99, costs);
        final CompareRunner runner = new CompareRunner(new FakePath.Factory(), Progress.NONE);
        return new CompareReport(s, runner.run(s), 2, 3, "0123456789abcdef0123456789abcdef01234567", runner.systemLines(), predicted);
    }

    @Test
    void theJsonHoldsEveryParameterRowAndPathAndParsesBack()
    {
        final CompareReport r = report(new CostProfile("custom", 1, 2, 3, 4, List.of("say \"why\"\nhere")), false);
        final Object root = TinyJson.parse(CompareJson.write(r));
        assertEquals("0123456789abcdef0123456789abcdef01234567", TinyJson.at(root, "gitRevision"));
        assertEquals(99.0, TinyJson.at(root, "seed"));
        assertEquals("simulated", TinyJson.at(root, "mode"));
        assertEquals(false, TinyJson.at(root, "realModeMeaningful"), "2 cores < 3 busy actors");
        assertEquals(true, TinyJson.at(root, "parameters", "ats"));
        assertEquals(false, TinyJson.at(root, "parameters", "rangeInvalidation"));
        assertEquals(20.0, TinyJson.at(root, "parameters", "rounds"));
        assertEquals(3.0, TinyJson.at(root, "costs", "hwCmdNs"));
        assertEquals(4.0, TinyJson.at(root, "costs", "guestUnmapNs"));
        assertEquals("say \"why\"\nhere", TinyJson.at(root, "costs", "assumptions", 0));
        assertEquals(List.of("fake path trapped/per-cmd", "fake path trapped/batched", "fake path vcmdq"), TinyJson.at(root, "system"));
        assertTrue(((List<?>)TinyJson.at(root, "modelAssumptions")).stream().anyMatch(l -> l.toString().contains("vSMMU lock")));
        assertEquals(4, ((List<?>)TinyJson.at(root, "rows")).size());
        // Rows: threads outer, granules inner; row 1 = 256K x 1. The fake counts 64 pages: VCMDQ hw = 65.
        assertEquals("256K", TinyJson.at(root, "rows", 1, "granule"));
        assertEquals(65.0, TinyJson.at(root, "rows", 1, "paths", "vcmdq", "perUnmap", "hwCommands"));
        assertEquals(64.0, TinyJson.at(root, "rows", 1, "paths", "trapped/per-cmd", "perUnmap", "syscalls"));
        assertEquals(20.0, TinyJson.at(root, "rows", 1, "paths", "vcmdq", "unmaps"));
        assertEquals(187.1, TinyJson.at(root, "rows", 1, "published", "trappedUs"));
        assertEquals(2.0, TinyJson.at(root, "rows", 3, "threads"));
        assertEquals(40.0, TinyJson.at(root, "rows", 3, "paths", "trapped/batched", "unmaps"));
        assertTrue(((Map<?, ?>)TinyJson.at(root, "rows", 0, "speedUp")).containsKey("trapped/batched"));
    }

    @Test
    void theTableHasOneLinePerRowWithEveryPathsCountsAndThePublishedSpeedUp()
    {
        final ReportTable t = new ReportTable(report(CostProfile.ZERO, false));
        assertEquals(4, t.rows().size());
        final List<String> h = t.headers();
        final List<String> row = t.rows().get(1);
        assertEquals("256K", row.get(0));
        assertEquals("1", row.get(1));
        // vcmdq block: med, p99, exits, hsync, cmds (64 + 1 sync).
        final int v = h.indexOf("vcmdq med us");
        assertEquals("0.00", row.get(v + 2));
        assertEquals("0.00", row.get(v + 3));
        assertEquals("65.00", row.get(v + 4));
        assertEquals("10.4x", row.get(h.indexOf("published x")), "187.1 / 18.0");
        assertEquals(5, t.text().split("\n").length);
        assertTrue(t.markdown().startsWith("| granule | thr |"), t.markdown());
        assertEquals(6, t.markdown().split("\n").length, "header, rule, four rows");
    }

    @Test
    void aPredictedReportShowsPublishedMicrosecondsAndTheErrorOfEach()
    {
        final ReportTable t = new ReportTable(report(CostProfile.ZERO, true));
        final List<String> h = t.headers();
        assertTrue(h.contains("pub trapped us") && h.contains("pub vcmdq us"), h.toString());
        assertEquals("443.0", t.rows().get(3).get(h.indexOf("pub trapped us")));
        assertEquals("+10%", ReportTable.percent(110, 100));
        assertEquals("-25%", ReportTable.percent(75, 100));
    }

    @Test
    void theHeaderSaysWhetherRealModeIsMeaningfulAndToCompareOnlyRatiosAtZeroCost()
    {
        final List<String> header = report(CostProfile.ZERO, false).header();
        assertTrue(header.get(0).contains("NOT meaningful"), header.get(0));
        assertTrue(String.join("\n", header).contains("compare only the speed-up"), header.toString());
    }

    @Test
    void aSimulatedRunOverTheDispatchThreadSaysItsTimesIncludeTheHandOff()
    {
        final CompareSettings s = new CompareSettings(List.of(0x1000L), List.of(1), List.of(PathKind.VCMDQ),
            TimingMode.SIMULATED, false, false, "DISPATCH_THREAD", 1, 1, 0, 1, 1, CostProfile.ZERO);
        final CompareReport r = new CompareReport(s, List.of(), 2, 4, "unknown", List.of(), false);
        assertTrue(String.join("\n", r.header()).contains("includes the hand-off"), r.header().toString());
    }

    @Test
    void theThreeFilesAreWritten(@TempDir final Path dir) throws Exception
    {
        final List<Path> files = ReportFiles.write(report(CostProfile.ZERO, true), dir.resolve("r"));
        assertEquals(List.of(ReportFiles.JSON, ReportFiles.MARKDOWN, ReportFiles.CHART),
            files.stream().map(p -> p.getFileName().toString()).toList());
        final byte[] png = Files.readAllBytes(dir.resolve("r").resolve(ReportFiles.CHART));
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        final String md = Files.readString(dir.resolve("r").resolve(ReportFiles.MARKDOWN));
        assertTrue(md.contains("| granule | thr |") && md.contains("compare.png") && md.contains("fake path vcmdq"), md);
        TinyJson.parse(Files.readString(dir.resolve("r").resolve(ReportFiles.JSON)));
    }
}
