package dev.cmdq.smmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link Opcode} against the hand-typed opcode table of smmuv3-cmdq.md §2.1 (src/test/resources/opcodes.csv).
 */
class OpcodeTest
{
    @Test
    void everyOpcodeOfTheDocHasItsValueAndNothingElseIsKnown()
    {
        final Map<Integer, String> reference = new HashMap<>();
        for (final FieldTable.OpcodeRow row : FieldTable.opcodes())
        {
            reference.put(row.value(), row.name());
            final Opcode opcode = Opcode.ofName(row.name());
            assertEquals(row.name(), opcode.name());
            assertEquals(row.value(), opcode.value(), row.name());
            assertEquals(row.linux(), opcode.builtByLinux(), row.name() + " built by Linux");
        }
        assertEquals(reference.size(), Opcode.known().size(), "no opcode beyond the doc's table");
        for (int value = 0; value < 256; value++)
        {
            final Opcode opcode = Opcode.of(value);
            if (reference.containsKey(value))
            {
                assertEquals(reference.get(value), opcode.name(), "0x" + Integer.toHexString(value));
            }
            else
            {
                assertSame(Opcode.UNKNOWN, opcode, "0x" + Integer.toHexString(value));
            }
        }
    }

    @Test
    void valuesOutsideAByteAreUnknownNotAnException()
    {
        assertSame(Opcode.UNKNOWN, Opcode.of(-1));
        assertSame(Opcode.UNKNOWN, Opcode.of(0x112));
        assertSame(Opcode.UNKNOWN, Opcode.of(Integer.MIN_VALUE));
        assertSame(Opcode.UNKNOWN, Opcode.of(0x00));
        assertSame(Opcode.UNKNOWN, Opcode.of(0x50), "Secure-only TLBI_S_EL2_ALL is not a Non-secure command");
    }

    @Test
    void aliasesAreTheLinuxAndSpecNames()
    {
        assertSame(Opcode.CFGI_STE_RANGE, Opcode.ofName("CFGI_ALL"));
        assertSame(Opcode.PREFETCH_CFG, Opcode.ofName("PREFETCH_CONFIG"));
        assertSame(Opcode.UNKNOWN, Opcode.ofName("TLBI_FOO"));
        assertSame(Opcode.UNKNOWN, Opcode.ofName("tlbi_nh_va"), "names are case-sensitive");
    }

    @Test
    void fieldsNeverOverlapAndReservedMasksAreTheirComplement()
    {
        for (final Opcode opcode : Opcode.known())
        {
            long seen0 = CommandLayout.OPCODE_MASK;
            long seen1 = 0;
            for (final CommandField field : opcode.fields())
            {
                if (field.dword() == 0)
                {
                    assertEquals(0, seen0 & field.mask(), opcode + " " + field);
                    seen0 |= field.mask();
                }
                else
                {
                    assertEquals(0, seen1 & field.mask(), opcode + " " + field);
                    seen1 |= field.mask();
                }
            }
            assertEquals(~seen0, opcode.reservedMask0(), opcode.name());
            assertEquals(~seen1, opcode.reservedMask1(), opcode.name());
            assertTrue((opcode.uncheckedMask1() & seen1) == 0, opcode.name());
        }
    }

    @Test
    void fieldLookupByNameFindsViewsToo()
    {
        assertSame(StallLayout.AC, Opcode.RESUME.field("ac"));
        assertSame(StallLayout.RESP, Opcode.RESUME.field("resp"));
        assertSame(TlbiLayout.IPA, Opcode.TLBI_S2_IPA.field("addr"));
        assertEquals(null, Opcode.TLBI_S2_IPA.field("asid"));
    }
}
