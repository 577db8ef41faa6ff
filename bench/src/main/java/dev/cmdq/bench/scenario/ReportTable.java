package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison as a table of strings (one header row, one row per workload), and its two renderings:
 * aligned text for the terminal and a Markdown pipe table. Columns: granule, threads; per path the
 * median and p99 latency in µs and the exits, host syncs and guest commands (syncs included) per unmap;
 * the speed-up of VCMDQ over each trapped path; the published speed-up (and, for the published profile,
 * the published and predicted microseconds with the error of each).
 */
public final class ReportTable
{
    private final List<String> headers = new ArrayList<>();
    private final List<List<String>> cells = new ArrayList<>();

    /**
     * @param report the run.
     */
    public ReportTable(final CompareReport report)
    {
        final List<PathKind> paths = report.settings().paths();
        headers.add("granule");
        headers.add("thr");
        for (final PathKind p : paths)
        {
            headers.add(p.label() + " med us");
            headers.add("p99");
            headers.add("exits");
            headers.add("hsync");
            headers.add("cmds");
        }
        final boolean speedUps = paths.contains(PathKind.VCMDQ);
        for (final PathKind p : paths)
        {
            if (speedUps && p.trapped())
            {
                headers.add("x " + p.label());
            }
        }
        headers.add("published x");
        final boolean predicted = report.predicted();
        if (predicted)
        {
            headers.add("pub trapped us");
            headers.add("err");
            headers.add("pub vcmdq us");
            headers.add("err");
        }
        for (final CompareRow row : report.rows())
        {
            final List<String> line = new ArrayList<>();
            line.add(row.workload().granuleLabel());
            line.add(Integer.toString(row.workload().threads()));
            for (final PathKind p : paths)
            {
                final PathResult r = row.result(p);
                line.add(f1(r.medianUs()));
                line.add(f1(r.p99Us()));
                line.add(f2(r.perUnmap(PathCounts.EXITS)));
                line.add(f2(r.perUnmap(PathCounts.HOST_SYNCS)));
                line.add(f2(r.perUnmap(PathCounts.GUEST_COMMANDS) + r.perUnmap(PathCounts.GUEST_SYNCS)));
            }
            for (final PathKind p : paths)
            {
                if (speedUps && p.trapped())
                {
                    line.add(f1(row.speedUp(p)) + "x");
                }
            }
            final PublishedTable.Row pub = row.published();
            line.add(pub == null ? "-" : f1(pub.speedUp()) + "x");
            if (predicted)
            {
                final PathResult t = row.result(PublishedProfile.TRAPPED);
                final PathResult v = row.result(PathKind.VCMDQ);
                line.add(pub == null ? "-" : f1(pub.trappedUs()));
                line.add(pub == null || t == null ? "-" : percent(t.medianUs(), pub.trappedUs()));
                line.add(pub == null ? "-" : f1(pub.vcmdqUs()));
                line.add(pub == null || v == null ? "-" : percent(v.medianUs(), pub.vcmdqUs()));
            }
            cells.add(line);
        }
    }

    /**
     * @return the header row.
     */
    public List<String> headers()
    {
        return List.copyOf(headers);
    }

    /**
     * @return the body rows.
     */
    public List<List<String>> rows()
    {
        return List.copyOf(cells);
    }

    /**
     * @return the table as right-aligned text columns, header first.
     */
    public String text()
    {
        final int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++)
        {
            widths[c] = headers.get(c).length();
            for (final List<String> line : cells)
            {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        append(sb, headers, widths);
        for (final List<String> line : cells)
        {
            append(sb, line, widths);
        }
        return sb.toString();
    }

    /**
     * @return the table as a Markdown pipe table.
     */
    public String markdown()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int c = 0; c < headers.size(); c++)
        {
            sb.append(c < 2 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (final List<String> line : cells)
        {
            sb.append("| ").append(String.join(" | ", line)).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * @param predicted a predicted value.
     * @param published the published one.
     * @return the signed relative error, e.g. "+12%".
     */
    static String percent(final double predicted, final double published)
    {
        return String.format(Locale.ROOT, "%+d%%", Math.round((predicted - published) / published * 100));
    }

    private static void append(final StringBuilder sb, final List<String> line, final int[] widths)
    {
        for (int c = 0; c < widths.length; c++)
        {
            if (c > 0)
            {
                sb.append("  ");
            }
            final String s = line.get(c);
            sb.append(" ".repeat(widths[c] - s.length())).append(s);
        }
        sb.append('\n');
    }

    private static String f1(final double v)
    {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(final double v)
    {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
