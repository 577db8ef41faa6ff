package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.smmu.vector.VectorCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The checker on the public vectors (every row passes) and on rows damaged one column at a time (each
 * fails, naming what differed).
 */
class UnmapVectorCheckTest
{
    private static final String ONE_PAGE =
        "tlb_inv_range_asid,iova=0xfffff000;size=0x1000;granule=0x1000;leaf=1;pgsize=0x1000;range_inv=0;asid=0x2a;" +
        "vmid=0x0;force_sync=0;sync_cs=2,002a000000000012:00000000fffff001|000000000fc02046:0000000000000000,2,1,1+S";

    private final UnmapVectorCheck check = new UnmapVectorCheck();

    @Test
    void everyPublicRowPasses() throws IOException
    {
        final List<UnmapVectorRow> rows = UnmapVectorFile.read(SharedVectors.unmapSequences());
        final List<String> failures = new ArrayList<>();
        final VectorCheck.Summary summary = check.checkAll(rows, failures::add);
        assertEquals(List.of(), failures);
        assertEquals(150, summary.passed());
        assertEquals(0, summary.failed());
    }

    @Test
    void theHandTypedRowPasses()
    {
        assertNull(check.check(row(ONE_PAGE)));
    }

    @Test
    void aWrongWordFailsNamingTheEntry()
    {
        final String problem = check.check(row(ONE_PAGE.replace("00000000fffff001", "00000000fffff000")));
        assertNotNull(problem);
        assertTrue(problem.contains("commands[0]"), problem);
    }

    @Test
    void aWrongSyncFormFails()
    {
        final String problem = check.check(row(ONE_PAGE.replace("sync_cs=2", "sync_cs=0")));
        assertNotNull(problem);
        assertTrue(problem.contains("commands[1]"), problem);
    }

    @Test
    void wrongCountsAndSplitFail()
    {
        assertTrue(check.check(row(ONE_PAGE.replace(",2,1,1+S", ",3,1,1+S"))).contains("n_cmds"));
        assertTrue(check.check(row(ONE_PAGE.replace(",2,1,1+S", ",2,2,1+S"))).contains("n_syncs"));
        assertTrue(check.check(row(ONE_PAGE.replace(",2,1,1+S", ",2,1,1/0+S"))).contains("issues"));
    }

    @Test
    void unknownOpsAndKeysFail()
    {
        assertTrue(check.check(row(ONE_PAGE.replace("tlb_inv_range_asid,", "tlb_inv_range_all,"))).contains("unknown op"));
        assertTrue(check.check(row(ONE_PAGE.replace("asid=0x2a;", "asid=0x2a;pasid=0x1;"))).contains("pasid"));
        assertTrue(check.check(row(ONE_PAGE.replace("leaf=1;", ""))).contains("'leaf' missing"));
        assertTrue(check.check(row(ONE_PAGE.replace("leaf=1;", "leaf=2;"))).contains("leaf=2"));
        assertTrue(check.check(row(ONE_PAGE.replace("sync_cs=2", "sync_cs=1"))).contains("sync_cs=1"));
        assertTrue(check.check(row(ONE_PAGE.replace("asid=0x2a;", "asid=0x2a;asid=0x2b;"))).contains("twice"));
    }

    @Test
    void aMalformedLineFails()
    {
        final List<UnmapVectorRow> rows = UnmapVectorFile.parse(List.of(String.join(",", UnmapVectorFile.COLUMNS), "atc_inv,sid=0x1"));
        assertTrue(check.check(rows.get(0)).contains("malformed"));
    }

    private static UnmapVectorRow row(final String line)
    {
        return UnmapVectorFile.parse(List.of(String.join(",", UnmapVectorFile.COLUMNS), line)).get(0);
    }
}
