package dev.cmdq.bench.scenario;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One row of the comparison: a workload and what each path measured for it.
 */
public final class CompareRow
{
    private final Workload workload;
    private final EnumMap<PathKind, PathResult> results = new EnumMap<>(PathKind.class);

    /**
     * @param workload the row's workload.
     */
    public CompareRow(final Workload workload)
    {
        this.workload = workload;
    }

    /**
     * @param result one path's result for this row.
     */
    public void put(final PathResult result)
    {
        results.put(result.kind(), result);
    }

    /**
     * @return the workload.
     */
    public Workload workload()
    {
        return workload;
    }

    /**
     * @param kind a path.
     * @return its result, or null when it did not run.
     */
    public PathResult result(final PathKind kind)
    {
        return results.get(kind);
    }

    /**
     * @return every result, by path.
     */
    public Map<PathKind, PathResult> results()
    {
        return Collections.unmodifiableMap(results);
    }

    /**
     * @param trapped a trapped path.
     * @return its median latency over VCMDQ's; NaN when either did not run.
     */
    public double speedUp(final PathKind trapped)
    {
        final PathResult t = results.get(trapped);
        final PathResult v = results.get(PathKind.VCMDQ);
        return t == null || v == null ? Double.NaN : t.medianUs() / v.medianUs();
    }

    /**
     * @return the published row for this granule and thread count, or null.
     */
    public PublishedTable.Row published()
    {
        return PublishedTable.find(workload.bufferBytes(), workload.threads());
    }
}
