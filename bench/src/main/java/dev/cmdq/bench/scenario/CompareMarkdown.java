package dev.cmdq.bench.scenario;

/**
 * {@code compare.md}: the header lines, the table, the costs' assumptions and the system's, as Markdown.
 */
public final class CompareMarkdown
{
    private CompareMarkdown()
    {
    }

    /**
     * @param report the run.
     * @return the Markdown text.
     */
    public static String write(final CompareReport report)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("# cmdq compare\n\n");
        for (final String line : report.header())
        {
            sb.append("- ").append(line).append('\n');
        }
        sb.append('\n').append(new ReportTable(report).markdown()).append('\n');
        sb.append("Latencies in microseconds (median and p99 from HdrHistogram); exits, hsync (host CMD_SYNCs) and cmds " +
            "(guest commands, syncs included) per unmap; x = median speed-up of VCMDQ over that path.\n\n");
        sb.append("## Cost assumptions\n\n");
        for (final String line : report.settings().costs().assumptions())
        {
            sb.append("- ").append(line).append('\n');
        }
        sb.append("\n## Model assumptions\n\n");
        for (final String line : report.modelAssumptions())
        {
            sb.append("- ").append(line).append('\n');
        }
        sb.append("\n## System\n\n");
        for (final String line : report.systemLines())
        {
            sb.append("- ").append(line).append('\n');
        }
        sb.append("\n![latency per granule](compare.png)\n");
        return sb.toString();
    }
}
