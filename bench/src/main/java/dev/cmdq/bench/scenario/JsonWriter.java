package dev.cmdq.bench.scenario;

import java.util.Locale;

/**
 * A minimal streaming JSON writer (objects, arrays, strings, numbers, booleans), enough for
 * {@code compare.json} without another dependency. Commas are placed by the writer; names are written
 * with {@link #name}. Non-finite numbers are written as {@code null} (JSON has no NaN).
 */
public final class JsonWriter
{
    private final StringBuilder out = new StringBuilder();
    private final boolean[] needsComma = new boolean[64];
    private int depth;

    /**
     * @return this.
     */
    public JsonWriter beginObject()
    {
        value();
        out.append('{');
        open();
        return this;
    }

    /**
     * @return this.
     */
    public JsonWriter endObject()
    {
        close();
        out.append('}');
        return this;
    }

    /**
     * @return this.
     */
    public JsonWriter beginArray()
    {
        value();
        out.append('[');
        open();
        return this;
    }

    /**
     * @return this.
     */
    public JsonWriter endArray()
    {
        close();
        out.append(']');
        return this;
    }

    /**
     * @param name the next member's name.
     * @return this.
     */
    public JsonWriter name(final String name)
    {
        value();
        string(name);
        out.append(':');
        needsComma[depth] = false;
        return this;
    }

    /**
     * @param s a string value, or null.
     * @return this.
     */
    public JsonWriter value(final String s)
    {
        value();
        if (s == null)
        {
            out.append("null");
        }
        else
        {
            string(s);
        }
        return this;
    }

    /**
     * @param v a number.
     * @return this.
     */
    public JsonWriter value(final double v)
    {
        value();
        if (Double.isFinite(v))
        {
            out.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long)v) : Double.toString(v));
        }
        else
        {
            out.append("null");
        }
        return this;
    }

    /**
     * @param v a whole number.
     * @return this.
     */
    public JsonWriter value(final long v)
    {
        value();
        out.append(v);
        return this;
    }

    /**
     * @param b a boolean.
     * @return this.
     */
    public JsonWriter value(final boolean b)
    {
        value();
        out.append(b);
        return this;
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    private void value()
    {
        if (needsComma[depth])
        {
            out.append(',');
        }
        needsComma[depth] = true;
    }

    private void open()
    {
        depth++;
        needsComma[depth] = false;
    }

    private void close()
    {
        depth--;
    }

    private void string(final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
