package dev.cmdq.bench.scenario;

import java.util.List;
import java.util.Locale;

/**
 * {@code compare.json}: every parameter and assumption of the run, the git revision, the seed, the
 * machine facts, and every row with every path's latency statistics and counts per unmap.
 */
public final class CompareJson
{
    private CompareJson()
    {
    }

    /**
     * @param report the run.
     * @return the JSON text.
     */
    public static String write(final CompareReport report)
    {
        final CompareSettings s = report.settings();
        final CostProfile costs = s.costs();
        final JsonWriter w = new JsonWriter().beginObject();
        w.name("tool").value("cmdq compare");
        w.name("gitRevision").value(report.gitRevision());
        w.name("seed").value(s.seed());
        w.name("mode").value(s.mode().name().toLowerCase(Locale.ROOT));
        w.name("cores").value(report.cores());
        w.name("busyActors").value(report.busyActors());
        w.name("realModeMeaningful").value(report.coresSuffice());
        w.name("predicted").value(report.predicted());
        w.name("parameters").beginObject();
        w.name("granules").beginArray();
        for (final long g : s.granules())
        {
            w.value(g);
        }
        w.endArray();
        w.name("threads").beginArray();
        for (final int t : s.threads())
        {
            w.value(t);
        }
        w.endArray();
        w.name("paths").beginArray();
        for (final PathKind p : s.paths())
        {
            w.value(p.label());
        }
        w.endArray();
        w.name("rangeInvalidation").value(s.rangeInvalidation());
        w.name("ats").value(s.ats());
        w.name("hostStrategy").value(s.hostStrategy());
        w.name("hostLoad").value(s.hostLoad());
        w.name("pageSize").value(Workload.PAGE_SIZE);
        w.name("warmupRounds").value(s.warmupRounds());
        w.name("rounds").value(s.rounds());
        w.name("warmupNs").value(s.warmupNs());
        w.name("durationNs").value(s.durationNs());
        w.endObject();
        w.name("costs").beginObject();
        w.name("profile").value(costs.name());
        w.name("vmExitNs").value(costs.vmExitNs());
        w.name("syscallNs").value(costs.syscallNs());
        w.name("hwCmdNs").value(costs.hwCmdNs());
        w.name("guestUnmapNs").value(costs.guestUnmapNs());
        strings(w.name("assumptions"), costs.assumptions());
        w.endObject();
        strings(w.name("header"), report.header());
        strings(w.name("system"), report.systemLines());
        strings(w.name("modelAssumptions"), report.modelAssumptions());
        w.name("rows").beginArray();
        for (final CompareRow row : report.rows())
        {
            row(w, row);
        }
        w.endArray();
        return w.endObject().toString();
    }

    private static void row(final JsonWriter w, final CompareRow row)
    {
        w.beginObject();
        w.name("granule").value(row.workload().granuleLabel());
        w.name("bufferBytes").value(row.workload().bufferBytes());
        w.name("threads").value(row.workload().threads());
        w.name("paths").beginObject();
        for (final PathResult r : row.results().values())
        {
            w.name(r.kind().label()).beginObject();
            w.name("unmaps").value(r.unmaps());
            w.name("medianUs").value(r.medianUs());
            w.name("p99Us").value(r.p99Us());
            w.name("cpuMedianNs").value(r.cpuMedianNs());
            w.name("lockWaitPerUnmapNs").value(r.lockWaitPerUnmapNs());
            w.name("engineWaitPerUnmapNs").value(r.engineWaitPerUnmapNs());
            w.name("digest").value(Long.toHexString(r.digest()));
            w.name("backgroundSteps").value(r.backgroundSteps());
            w.name("backgroundPerMs").value(r.backgroundPerMs());
            w.name("perUnmap").beginObject();
            for (int c = 0; c < PathCounts.SIZE; c++)
            {
                w.name(PathCounts.name(c)).value(r.perUnmap(c));
            }
            w.endObject();
            w.endObject();
        }
        w.endObject();
        w.name("speedUp").beginObject();
        for (final PathKind p : row.results().keySet())
        {
            if (p.trapped())
            {
                w.name(p.label()).value(row.speedUp(p));
            }
        }
        w.endObject();
        final PublishedTable.Row pub = row.published();
        if (pub != null)
        {
            w.name("published").beginObject();
            w.name("trappedUs").value(pub.trappedUs());
            w.name("vcmdqUs").value(pub.vcmdqUs());
            w.name("speedUp").value(pub.speedUp());
            w.endObject();
        }
        w.endObject();
    }

    private static void strings(final JsonWriter w, final List<String> lines)
    {
        w.beginArray();
        for (final String line : lines)
        {
            w.value(line);
        }
        w.endArray();
    }
}
