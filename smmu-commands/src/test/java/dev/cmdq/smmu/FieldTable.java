package dev.cmdq.smmu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-typed reference tables in src/test/resources: {@code command-fields.csv} (per opcode: field,
 * dword, low bit, width) and {@code opcodes.csv} (name, value, built by Linux). The oracle that the
 * encoders, decoders and {@link Opcode} are checked against; it never calls production code.
 */
public final class FieldTable
{
    /**
     * One reference field.
     *
     * @param opcode opcode name.
     * @param name   field name.
     * @param dword  0 or 1.
     * @param lsb    low bit.
     * @param width  bits.
     * @param source doc, kernel or assumed.
     */
    public record Row(String opcode, String name, int dword, int lsb, int width, String source)
    {
        /**
         * @return the field's bits in place.
         */
        public long mask()
        {
            return (width == 64 ? -1L : (1L << width) - 1) << lsb;
        }

        /**
         * @return true for an address field (kept in place rather than right-aligned).
         */
        public boolean address()
        {
            return name.equals("addr") || name.equals("msiaddr");
        }
    }

    /**
     * One reference opcode.
     *
     * @param name  name.
     * @param value opcode byte.
     * @param linux true when Linux builds it.
     */
    public record OpcodeRow(String name, int value, boolean linux)
    {
    }

    private static final Map<String, List<Row>> FIELDS = readFields();
    private static final List<OpcodeRow> OPCODES = readOpcodes();

    private FieldTable()
    {
    }

    /**
     * @return opcode name to its reference fields (possibly none), in file order.
     */
    public static Map<String, List<Row>> fields()
    {
        return FIELDS;
    }

    /**
     * @param opcode an opcode name.
     * @return its reference fields.
     */
    public static List<Row> fields(final String opcode)
    {
        return FIELDS.getOrDefault(opcode, Collections.emptyList());
    }

    /**
     * @return the reference opcode list.
     */
    public static List<OpcodeRow> opcodes()
    {
        return OPCODES;
    }

    private static Map<String, List<Row>> readFields()
    {
        final Map<String, List<Row>> table = new LinkedHashMap<>();
        for (final String[] f : read("/command-fields.csv"))
        {
            table.computeIfAbsent(f[0], k -> new ArrayList<>())
                .add(new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5]));
        }
        return Collections.unmodifiableMap(table);
    }

    private static List<OpcodeRow> readOpcodes()
    {
        final List<OpcodeRow> rows = new ArrayList<>();
        for (final String[] f : read("/opcodes.csv"))
        {
            rows.add(new OpcodeRow(f[0], Integer.decode(f[1]), f[2].equals("yes")));
        }
        return Collections.unmodifiableList(rows);
    }

    private static List<String[]> read(final String resource)
    {
        final List<String[]> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(FieldTable.class.getResourceAsStream(resource), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    lines.add(line.split(",", -1));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return lines;
    }
}
