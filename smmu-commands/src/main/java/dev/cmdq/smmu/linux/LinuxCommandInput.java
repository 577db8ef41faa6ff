package dev.cmdq.smmu.linux;

import java.util.Arrays;

import dev.cmdq.smmu.text.CommandParser;

/**
 * A kernel {@code struct arm_smmu_cmdq_ent} as key/value pairs, zero-initialised like the kernel's
 * on-stack {@code ent = {}}: a key not given reads 0. Reusable: {@link #clear()} or
 * {@link #parse(String)} again.
 */
public final class LinuxCommandInput
{
    private final long[] values = new long[LinuxInputKey.values().length];
    private final boolean[] given = new boolean[values.length];

    /**
     * Forgets every value.
     *
     * @return this.
     */
    public LinuxCommandInput clear()
    {
        Arrays.fill(values, 0L);
        Arrays.fill(given, false);
        return this;
    }

    /**
     * @param key   the input.
     * @param value its value (as the kernel would hold it before {@code FIELD_PREP}).
     * @return this.
     */
    public LinuxCommandInput set(final LinuxInputKey key, final long value)
    {
        values[key.ordinal()] = value;
        given[key.ordinal()] = true;
        return this;
    }

    /**
     * @param key an input.
     * @return its value, 0 when not given.
     */
    public long value(final LinuxInputKey key)
    {
        return values[key.ordinal()];
    }

    /**
     * @param key a boolean input.
     * @return C's reading of it: true when non-zero.
     */
    public boolean flag(final LinuxInputKey key)
    {
        return values[key.ordinal()] != 0;
    }

    /**
     * @param key an input.
     * @return true when it was given.
     */
    public boolean given(final LinuxInputKey key)
    {
        return given[key.ordinal()];
    }

    /**
     * Replaces the content with the vectors' {@code inputs} form: {@code name=value} joined by
     * {@code ;} (values {@code 0x}-hex or decimal; an empty string is no input).
     *
     * @param inputs the text.
     * @return this.
     * @throws IllegalArgumentException naming an unknown key, a repeated key or a bad value.
     */
    public LinuxCommandInput parse(final String inputs)
    {
        clear();
        if (inputs.isEmpty())
        {
            return this;
        }
        for (final String pair : inputs.split(";", -1))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("input '" + pair + "' is not name=value");
            }
            final String name = pair.substring(0, eq).trim();
            final LinuxInputKey key = LinuxInputKey.of(name);
            if (key == null)
            {
                throw new IllegalArgumentException("unknown input key '" + name + "' (not an arm_smmu_cmdq_ent field)");
            }
            if (given(key))
            {
                throw new IllegalArgumentException("input key '" + name + "' given twice");
            }
            set(key, CommandParser.parseValue(name, pair.substring(eq + 1).trim()));
        }
        return this;
    }
}
