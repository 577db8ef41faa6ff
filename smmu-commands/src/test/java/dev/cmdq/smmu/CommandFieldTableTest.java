package dev.cmdq.smmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Every encoder, decoder and field descriptor against the reference field table typed in from
 * smmuv3-cmdq.md §2.2 (src/test/resources/command-fields.csv). Round trips cannot catch a field placed
 * at consistently wrong bits; this can: each field set to all ones must light exactly its reference
 * bits, and ones placed at the reference bits must read back as all ones from exactly that getter.
 */
class CommandFieldTableTest
{
    private final TypedCodecs codecs = new TypedCodecs();
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);

    @Test
    void everyOpcodeHasExactlyTheReferenceFieldsAtTheReferenceBits()
    {
        for (final Opcode opcode : Opcode.known())
        {
            final Set<String> expected = new TreeSet<>();
            for (final FieldTable.Row row : FieldTable.fields(opcode.name()))
            {
                expected.add(row.name());
                final CommandField field = opcode.field(row.name());
                assertNotNull(field, opcode + " lacks " + row.name());
                assertEquals(row.dword(), field.dword(), opcode + " " + row.name() + " dword");
                assertEquals(row.lsb(), field.lsb(), opcode + " " + row.name() + " lsb");
                assertEquals(row.width(), field.width(), opcode + " " + row.name() + " width");
            }
            final Set<String> actual = new TreeSet<>();
            opcode.fields().forEach(f -> actual.add(f.name()));
            assertEquals(expected, actual, opcode + " field names");
        }
        final Set<String> tableOpcodes = new HashSet<>(FieldTable.fields().keySet());
        Opcode.known().forEach(o -> tableOpcodes.remove(o.name()));
        assertEquals(Set.of(), tableOpcodes, "reference rows for opcodes that do not exist");
    }

    @Test
    void eachSetterLightsExactlyItsReferenceBitsAndNothingForFieldsTheOpcodeLacks()
    {
        for (final Opcode opcode : Opcode.known())
        {
            final Map<String, FieldTable.Row> reference = byName(FieldTable.fields(opcode.name()));
            for (final String setter : TypedCodecs.setters(opcode.family()))
            {
                final FieldTable.Row row = reference.get(setter);
                // PRI_RESP RESP refuses the reserved value 3 (the kernel returns -EINVAL): use 2.
                final boolean priResp = opcode == Opcode.PRI_RESP && setter.equals("resp");
                final long value = priResp ? 2 : -1L;

                CommandWords.put(slot, 0, -1L, -1L);
                codecs.wrap(slot, 0, opcode);
                codecs.set(opcode.family(), setter, value);

                long expected0 = opcode.value();
                long expected1 = 0;
                if (row != null)
                {
                    final long bits = priResp ? (2L << row.lsb()) : row.mask();
                    if (row.dword() == 0)
                    {
                        expected0 |= bits;
                    }
                    else
                    {
                        expected1 |= bits;
                    }
                }
                final String what = opcode + "." + setter + (row == null ? " (not a field: must write nothing)" : "");
                assertEquals(hex(expected0), hex(CommandWords.dword0(slot, 0)), what + " dword0");
                assertEquals(hex(expected1), hex(CommandWords.dword1(slot, 0)), what + " dword1");
            }
        }
    }

    @Test
    void eachGetterReadsExactlyItsReferenceBits()
    {
        for (final Opcode opcode : Opcode.known())
        {
            final List<FieldTable.Row> rows = FieldTable.fields(opcode.name());
            for (final FieldTable.Row row : rows)
            {
                final long dword0 = opcode.value() | (row.dword() == 0 ? row.mask() : 0);
                final long dword1 = row.dword() == 1 ? row.mask() : 0;
                CommandWords.put(slot, 0, dword0, dword1);
                for (final String getter : TypedCodecs.getters(opcode.family()))
                {
                    final long expected;
                    if (getter.equals(row.name()))
                    {
                        expected = row.address() ? row.mask() : row.mask() >>> row.lsb();
                    }
                    else if (opcode == Opcode.RESUME && row.name().equals("resp") && (getter.equals("ac") || getter.equals("ab")))
                    {
                        expected = 1;
                    }
                    else
                    {
                        expected = 0;
                    }
                    assertEquals(hex(expected), hex(codecs.get(slot, 0, opcode.family(), getter)),
                        opcode + ": ones at " + row.name() + ", getter " + getter);
                }
            }
        }
    }

    @Test
    void withEveryBitSetGettersReadOnlyTheOpcodesOwnFields()
    {
        for (final Opcode opcode : Opcode.known())
        {
            CommandWords.put(slot, 0, ~CommandLayout.OPCODE_MASK | opcode.value(), -1L);
            final Map<String, FieldTable.Row> reference = byName(FieldTable.fields(opcode.name()));
            for (final String getter : TypedCodecs.getters(opcode.family()))
            {
                final FieldTable.Row row = reference.get(getter);
                final long expected;
                if (row != null)
                {
                    expected = row.address() ? row.mask() : row.mask() >>> row.lsb();
                }
                else
                {
                    expected = opcode == Opcode.RESUME && (getter.equals("ac") || getter.equals("ab")) ? 1 : 0;
                }
                assertEquals(hex(expected), hex(codecs.get(slot, 0, opcode.family(), getter)), opcode + "." + getter);
            }
        }
    }

    private static Map<String, FieldTable.Row> byName(final List<FieldTable.Row> rows)
    {
        final Map<String, FieldTable.Row> map = new java.util.HashMap<>();
        rows.forEach(r -> map.put(r.name(), r));
        return map;
    }

    private static String hex(final long value)
    {
        return String.format("0x%016x", value);
    }
}
