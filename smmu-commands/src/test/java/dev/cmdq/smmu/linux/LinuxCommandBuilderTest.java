package dev.cmdq.smmu.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link LinuxCommandBuilder} and {@link LinuxCommandInput} beyond the golden vectors: C semantics of
 * the inputs, errors, and the opcodes Linux never builds. Expected words are written by hand from the
 * field tables of smmuv3-cmdq.md §2.2.
 */
class LinuxCommandBuilderTest
{
    private final LinuxCommandBuilder builder = new LinuxCommandBuilder();
    private final LinuxCommandInput input = new LinuxCommandInput();
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);

    @Test
    void boolInputsFollowCAnyNonZeroIsOne()
    {
        build(Opcode.CFGI_STE, "sid=0x5;leaf=2");
        assertWords(0x0000000500000003L, 0x1L);
        build(Opcode.ATC_INV, "ssv=0x10;global=3;sid=0x1");
        assertWords(0x0000000100000A40L, 0);
    }

    @Test
    void overWideValuesAreMaskedAsFieldPrepDoes()
    {
        build(Opcode.TLBI_NH_ASID, "asid=0x1ffff;vmid=0x12345");
        assertWords(0xffff234500000011L, 0);
        build(Opcode.RESUME, "sid=0x1;resp=0x7;stag=0x1ffff");
        assertWords(0x0000000100003044L, 0xffffL);
    }

    @Test
    void opcodesLinuxNeverBuildsUseTheirArchitecturalFields()
    {
        build(Opcode.TLBI_NH_VAA, "vmid=0x7;asid=0x9;num=0x1;scale=0x2;leaf=1;ttl=0x3;tg=0x1;addr=0x123456789abc");
        assertWords(0x0000000700201013L, 0x0000123456789701L);
        build(Opcode.TLBI_EL2_VAA, "vmid=0x7;asid=0x9;addr=0x1000;tg=0x2;ttl=0x1");
        assertWords(0x23L, 0x1900L);
        build(Opcode.TLBI_EL3_VA, "asid=0x9;addr=0xffffffffffffffff;leaf=1");
        assertWords(0x1aL, 0xfffffffffffff001L);
        build(Opcode.TLBI_EL3_ALL, "vmid=0x1");
        assertWords(0x18L, 0);
        build(Opcode.PREFETCH_ADDR, "sid=0x3;size=0x3f;addr=0x5fff;ssid=0x9");
        assertWords(0x0000000300000002L, 0x501fL);
        build(Opcode.STALL_TERM, "sid=0xffffffff;stag=0x1");
        assertWords(0xffffffff00000045L, 0);
        build(Opcode.CFGI_VMS_PIDM, "vmid=0xbeef;sid=0x5");
        assertWords(0x0000beef00000007L, 0);
    }

    @Test
    void invalidPriRespAndUnknownOpcodeEncodeNothing()
    {
        CommandWords.put(slot, 0, 7, 7);
        input.parse("resp=0x3");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> builder.build(Opcode.PRI_RESP, input, slot, 0));
        assertTrue(ex.getMessage().contains("resp"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.build(Opcode.UNKNOWN, input, slot, 0));
        assertWords(7, 7);
    }

    @Test
    void inputParsingNamesUnknownRepeatedAndMalformedKeys()
    {
        expect("pasid=0x1", "pasid");
        expect("sid=0x1;sid=0x2", "sid");
        expect("sid", "sid");
        expect("sid=0xgg", "sid");
        assertEquals(0x5, input.parse("substream_valid=1;sid=5").value(LinuxInputKey.SID));
        assertTrue(input.flag(LinuxInputKey.SSV));
        assertTrue(input.given(LinuxInputKey.SID));
        assertEquals(0, input.parse("").value(LinuxInputKey.SID));
    }

    private void expect(final String text, final String named)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> input.parse(text));
        assertTrue(ex.getMessage().contains(named), ex.getMessage());
    }

    private void build(final Opcode opcode, final String inputs)
    {
        CommandWords.put(slot, 0, -1L, -1L);
        builder.build(opcode, input.parse(inputs), slot, 0);
    }

    private void assertWords(final long dword0, final long dword1)
    {
        assertEquals(String.format("0x%016x", dword0), String.format("0x%016x", CommandWords.dword0(slot, 0)));
        assertEquals(String.format("0x%016x", dword1), String.format("0x%016x", CommandWords.dword1(slot, 0)));
    }
}
