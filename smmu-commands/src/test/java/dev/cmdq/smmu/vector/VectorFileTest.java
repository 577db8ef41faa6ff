package dev.cmdq.smmu.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorFile}: columns by header name, quoting, row/line numbers, malformed files.
 */
class VectorFileTest
{
    @Test
    void readsColumnsByNameWithQuotesAndSkipsBlankLines()
    {
        final List<VectorRow> rows = VectorFile.parse(List.of(
            "cmd1,cmd0,opcode_name,opcode,inputs,qemu_decoded,extra_decoded",
            "",
            "0x0,0x11,TLBI_NH_ASID,0x11,\"asid=0x1;vmid=0x2\",\"type=0x11\",\"\""));
        assertEquals(1, rows.size());
        final VectorRow row = rows.get(0);
        assertEquals(1, row.number());
        assertEquals(3, row.line());
        assertEquals("TLBI_NH_ASID", row.opcodeName());
        assertEquals("0x11", row.cmd0());
        assertEquals("0x0", row.cmd1());
        assertEquals("asid=0x1;vmid=0x2", row.inputs());
        assertEquals("", row.extraDecoded());
    }

    @Test
    void malformedFilesNameTheProblem()
    {
        expect(List.of(), "empty");
        expect(List.of("opcode_name,opcode,inputs,cmd0,cmd1,qemu_decoded"), "extra_decoded");
        expect(List.of("opcode_name,opcode,inputs,cmd0,cmd1,\"qemu_decoded,extra_decoded"), "quote");
    }

    @Test
    void malformedLinesBecomeFailingRowsNotSkippedOnes()
    {
        final List<VectorRow> rows = VectorFile.parse(List.of(
            "opcode_name,opcode,inputs,cmd0,cmd1,qemu_decoded,extra_decoded",
            "a,b,c",
            "a,\"b,c,d,e,f,g"));
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).malformed().contains("3 fields"), rows.get(0).malformed());
        assertTrue(rows.get(1).malformed().contains("quote"), rows.get(1).malformed());
        assertEquals(3, rows.get(1).line());
        final VectorCheck.Summary summary = new VectorCheck().checkAll(rows, line -> { });
        assertEquals(0, summary.passed());
        assertEquals(2, summary.failed());
    }

    private static void expect(final List<String> lines, final String named)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> VectorFile.parse(lines));
        assertTrue(ex.getMessage().contains(named), ex.getMessage());
    }
}
