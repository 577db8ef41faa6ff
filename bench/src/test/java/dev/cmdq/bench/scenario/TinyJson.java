package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser for the tests (objects as maps, arrays as lists, numbers as doubles): an
 * independent reader of what {@link JsonWriter} wrote. Throws on any syntax error or trailing text.
 */
final class TinyJson
{
    private final String s;
    private int i;

    private TinyJson(final String s)
    {
        this.s = s;
    }

    static Object parse(final String text)
    {
        final TinyJson p = new TinyJson(text);
        final Object v = p.value();
        p.ws();
        if (p.i != text.length())
        {
            throw new IllegalArgumentException("trailing text at " + p.i);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Object at(final Object root, final Object... path)
    {
        Object o = root;
        for (final Object key : path)
        {
            o = key instanceof Integer ? ((List<Object>)o).get((Integer)key) : ((Map<String, Object>)o).get(key);
        }
        return o;
    }

    private Object value()
    {
        ws();
        final char c = s.charAt(i);
        if (c == '{')
        {
            i++;
            final Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (s.charAt(i) == '}')
            {
                i++;
                return m;
            }
            while (true)
            {
                ws();
                final String k = string();
                ws();
                expect(':');
                if (m.put(k, value()) != null)
                {
                    throw new IllegalArgumentException("duplicate key " + k);
                }
                ws();
                if (s.charAt(i) == ',')
                {
                    i++;
                    continue;
                }
                expect('}');
                return m;
            }
        }
        if (c == '[')
        {
            i++;
            final List<Object> l = new ArrayList<>();
            ws();
            if (s.charAt(i) == ']')
            {
                i++;
                return l;
            }
            while (true)
            {
                l.add(value());
                ws();
                if (s.charAt(i) == ',')
                {
                    i++;
                    continue;
                }
                expect(']');
                return l;
            }
        }
        if (c == '"')
        {
            return string();
        }
        for (final String word : new String[] {"true", "false", "null"})
        {
            if (s.startsWith(word, i))
            {
                i += word.length();
                return "null".equals(word) ? null : Boolean.valueOf(word);
            }
        }
        final int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
        if (start == i)
        {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
        }
        return Double.parseDouble(s.substring(start, i));
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (s.charAt(i) != '"')
        {
            char c = s.charAt(i++);
            if (c == '\\')
            {
                c = s.charAt(i++);
                switch (c)
                {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'u' ->
                    {
                        sb.append((char)Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(c);
                }
            }
            else if (c < 0x20)
            {
                throw new IllegalArgumentException("raw control character at " + (i - 1));
            }
            else
            {
                sb.append(c);
            }
        }
        i++;
        return sb.toString();
    }

    private void expect(final char c)
    {
        if (s.charAt(i) != c)
        {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + ", found '" + s.charAt(i) + "'");
        }
        i++;
    }

    private void ws()
    {
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
    }
}
