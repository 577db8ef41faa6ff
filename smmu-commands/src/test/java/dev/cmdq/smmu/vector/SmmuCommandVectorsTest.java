package dev.cmdq.smmu.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.SharedDir;
import dev.cmdq.smmu.TypedCodecs;
import dev.cmdq.smmu.linux.LinuxCommandBuilder;
import dev.cmdq.smmu.linux.LinuxCommandInput;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of ../shared/vectors/smmuv3-cmd-vectors.csv, both ways, with the expected values taken from
 * the CSV only: the Linux inputs encode to {@code cmd0}/{@code cmd1} exactly (into a slot full of ones),
 * and the typed decoders read every {@code qemu_decoded} and {@code extra_decoded} field from the CSV's
 * words. This test does its own comparisons (it does not trust {@link VectorCheck}); a second test runs
 * {@link VectorCheck} on the same file.
 */
class SmmuCommandVectorsTest
{
    private static List<VectorRow> rows;

    static Stream<VectorRow> rows() throws IOException
    {
        if (rows == null)
        {
            rows = VectorFile.read(SharedDir.commandVectors());
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "row {index}")
    @MethodSource("rows")
    void encodesLinuxInputsToTheVectorWords(final VectorRow row)
    {
        final Opcode opcode = Opcode.ofName(row.opcodeName());
        assertNotEquals(Opcode.UNKNOWN, opcode, row.opcodeName());
        assertEquals(Integer.decode(row.opcode()).intValue(), opcode.value(), "opcode column vs name");

        final UnsafeBuffer slot = new UnsafeBuffer(new byte[32]);
        CommandWords.put(slot, 16, -1L, -1L);
        new LinuxCommandBuilder().build(opcode, new LinuxCommandInput().parse(row.inputs()), slot, 16);

        assertEquals(Long.parseUnsignedLong(row.cmd0().substring(2), 16), CommandWords.dword0(slot, 16), "cmd0 of " + row);
        assertEquals(Long.parseUnsignedLong(row.cmd1().substring(2), 16), CommandWords.dword1(slot, 16), "cmd1 of " + row);
    }

    @ParameterizedTest(name = "row {index}")
    @MethodSource("rows")
    void typedDecodersReadEveryVectorField(final VectorRow row)
    {
        final Opcode opcode = Opcode.ofName(row.opcodeName());
        final long cmd0 = Long.parseUnsignedLong(row.cmd0().substring(2), 16);
        final long cmd1 = Long.parseUnsignedLong(row.cmd1().substring(2), 16);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        CommandWords.put(slot, 0, cmd0, cmd1);
        final TypedCodecs codecs = new TypedCodecs();

        int checked = 0;
        for (final String[] pair : pairs(row.qemuDecoded()))
        {
            final long expected = unsigned(pair[1]);
            final long actual;
            switch (pair[0])
            {
                case "type":
                    actual = cmd0 & 0xFF;
                    break;
                case "resp":
                    // QEMU's CMD_RESP reads dword 1 bits 12:11 (smmuv3-cmdq.md §7.1); it is only
                    // in the PRI_RESP rows. cmdq's decoder reads the kernel's 13:12, checked below
                    // against extra_decoded.resp.
                    assertEquals(Opcode.PRI_RESP, opcode);
                    actual = (cmd1 >>> 11) & 3;
                    break;
                default:
                    actual = codecs.get(slot, 0, opcode.family(), decoderName(pair[0]));
                    break;
            }
            assertEquals(expected, actual, "qemu_decoded " + pair[0] + " of " + row);
            checked++;
        }
        for (final String[] pair : pairs(row.extraDecoded()))
        {
            assertEquals(unsigned(pair[1]), codecs.get(slot, 0, opcode.family(), pair[0]),
                "extra_decoded " + pair[0] + " of " + row);
            checked++;
        }
        assertTrue(checked > 0, "row has no decoded fields: " + row);
    }

    @Test
    void vectorCheckPassesEveryRowOfTheFile() throws IOException
    {
        final List<VectorRow> all = VectorFile.read(SharedDir.commandVectors());
        final List<String> failures = new ArrayList<>();
        final VectorCheck.Summary summary = new VectorCheck().checkAll(all, failures::add);
        assertEquals(List.of(), failures);
        assertEquals(all.size(), summary.passed());
        assertEquals(300, all.size(), "the public sample has 300 rows");
        assertEquals("300 passed, 0 failed", summary.toString());
    }

    @Test
    void vectorCheckReportsEachKindOfDifference()
    {
        final List<String> lines = List.of(
            "opcode_name,opcode,inputs,cmd0,cmd1,qemu_decoded,extra_decoded",
            // 1: good
            "TLBI_NH_ASID,0x11,asid=0x1;vmid=0x2,0x0001000200000011,0x0000000000000000,type=0x11;asid=0x1;vmid=0x2,",
            // 2: cmd0 corrupted (one bit of VMID)
            "TLBI_NH_ASID,0x11,asid=0x1;vmid=0x2,0x0001000300000011,0x0000000000000000,type=0x11;asid=0x1;vmid=0x2,",
            // 3: unknown opcode
            "TLBI_FOO,0x17,,0x0000000000000017,0x0000000000000000,type=0x17,",
            // 4: unknown input key
            "TLBI_NH_ASID,0x11,asid=0x1;pasid=0x2,0x0001000000000011,0x0000000000000000,type=0x11;asid=0x1,",
            // 5: qemu_decoded value wrong
            "TLBI_NH_ASID,0x11,asid=0x1,0x0001000000000011,0x0000000000000000,type=0x11;asid=0x7,",
            // 6: extra_decoded key the command lacks
            "TLBI_NH_ASID,0x11,asid=0x1,0x0001000000000011,0x0000000000000000,type=0x11,msh=0x3",
            // 7: name and value disagree
            "TLBI_NH_VA,0x11,asid=0x1,0x0001000000000011,0x0000000000000000,type=0x11,");
        final List<String> failures = new ArrayList<>();
        final VectorCheck.Summary summary = new VectorCheck().checkAll(VectorFile.parse(lines), failures::add);

        assertEquals(1, summary.passed());
        assertEquals(6, summary.failed());
        assertEquals(6, failures.size());
        assertTrue(failures.get(0).startsWith("row 2 ") && failures.get(0).contains("encode cmd0"), failures.get(0));
        assertTrue(failures.get(0).contains("qemu_decoded vmid expected 0x2 got 0x3"), failures.get(0));
        assertTrue(failures.get(1).startsWith("row 3 ") && failures.get(1).contains("unknown opcode"), failures.get(1));
        assertTrue(failures.get(2).startsWith("row 4 ") && failures.get(2).contains("pasid"), failures.get(2));
        assertTrue(failures.get(3).startsWith("row 5 ") && failures.get(3).contains("asid expected 0x7 got 0x1"), failures.get(3));
        assertTrue(failures.get(4).startsWith("row 6 ") && failures.get(4).contains("msh"), failures.get(4));
        assertTrue(failures.get(5).startsWith("row 7 ") && failures.get(5).contains("opcode_name"), failures.get(5));
    }

    @Test
    void vectorCheckCatchesAWrongQemuRespOnPriResp()
    {
        // The kernel's RESP=1 (bits 13:12) is read by QEMU's macro (bits 12:11) as 2: a row claiming
        // QEMU read 1 is wrong and must fail; the row claiming 2 (as the real vectors do) passes.
        final String good = "PRI_RESP,0x41,sid=0x0;ssid=0x0;ssv=0;grpid=0x0;resp=0x1,0x0000000000000041,"
            + "0x0000000000001000,type=0x41;resp=0x2,grpid=0x0;resp=0x1";
        final String bad = good.replace("type=0x41;resp=0x2", "type=0x41;resp=0x1");
        final VectorCheck check = new VectorCheck();
        final List<VectorRow> parsed = VectorFile.parse(List.of(
            "opcode_name,opcode,inputs,cmd0,cmd1,qemu_decoded,extra_decoded", good, bad));
        assertEquals(null, check.check(parsed.get(0)));
        final String problem = check.check(parsed.get(1));
        assertTrue(problem != null && problem.contains("qemu_decoded resp expected 0x1 got 0x2"), problem);
    }

    @Test
    void everyOpcodeOfTheSampleIsLinuxBuilt() throws IOException
    {
        for (final VectorRow row : VectorFile.read(SharedDir.commandVectors()))
        {
            assertTrue(Opcode.ofName(row.opcodeName()).builtByLinux(), row.opcodeName());
        }
        assertFalse(Opcode.TLBI_NH_VAA.builtByLinux());
    }

    private static String decoderName(final String qemuKey)
    {
        switch (qemuKey)
        {
            case "sync_cs": return "cs";
            case "ste_range": return "range";
            case "resume_ac": return "ac";
            case "resume_ab": return "ab";
            case "resume_stag": return "stag";
            default: return qemuKey;
        }
    }

    private static long unsigned(final String text)
    {
        return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
    }

    private static List<String[]> pairs(final String text)
    {
        final List<String[]> pairs = new ArrayList<>();
        if (!text.isEmpty())
        {
            for (final String pair : text.split(";"))
            {
                pairs.add(pair.split("=", 2));
            }
        }
        return pairs;
    }
}
