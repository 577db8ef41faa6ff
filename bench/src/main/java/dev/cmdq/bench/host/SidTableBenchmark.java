package dev.cmdq.bench.host;

import dev.cmdq.vcmdq.host.SidTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * vSID → pSID lookup on the invalidation hot path: {@link SidTable} (per-vIOMMU copy-on-write arrays,
 * one acquire load) against the obvious baseline, one {@link ConcurrentHashMap} per vIOMMU with pre-boxed
 * keys and values (so neither side allocates per lookup). Two vIOMMUs with the same 16 vSIDs (a VINTF's
 * SID slots). Alone, and while another thread hot-plugs a 17th vSID in and out (parking 10 µs between
 * changes, so the plugger models rare hot-plug and does not take a core on a small machine). Run with
 * {@code -prof gc}: expected 0 B/op for the lookups.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class SidTableBenchmark
{
    private static final int SIDS = 16;
    private static final long PLUG_PARK_NS = 10_000;

    private SidTable table;
    private int[] handles;
    private ConcurrentHashMap<Long, Long>[] maps;
    private Long[] boxedVsids;
    private Long boxedSpareVsid;
    private Long boxedSparePsid;
    private int counter;
    private boolean plugged;

    /** Fills both tables. */
    @Setup
    @SuppressWarnings("unchecked")
    public void setUp()
    {
        table = new SidTable(2);
        handles = new int[] {table.addViommu(SidTable.CMDQV_SID_BITS), table.addViommu(SidTable.CMDQV_SID_BITS)};
        maps = new ConcurrentHashMap[] {new ConcurrentHashMap<Long, Long>(), new ConcurrentHashMap<Long, Long>()};
        boxedVsids = new Long[SIDS];
        for (int s = 0; s < SIDS; s++)
        {
            final long vsid = 0x100 + s * 8L;
            boxedVsids[s] = vsid;
            for (int v = 0; v < 2; v++)
            {
                final long psid = (v + 1L) << 16 | s;
                table.put(handles[v], vsid, psid);
                maps[v].put(boxedVsids[s], psid);
            }
        }
        boxedSpareVsid = 0x900L;
        boxedSparePsid = 0x900L;
    }

    /**
     * @return one SidTable lookup.
     */
    @Benchmark
    @Group("sidTable")
    public long sidTableLookup()
    {
        final int i = counter++;
        return table.lookup(handles[i & 1], 0x100 + ((i >>> 1) & (SIDS - 1)) * 8L);
    }

    /**
     * @return one ConcurrentHashMap lookup.
     */
    @Benchmark
    @Group("chm")
    public long chmLookup()
    {
        final int i = counter++;
        final Long psid = maps[i & 1].get(boxedVsids[(i >>> 1) & (SIDS - 1)]);
        return psid == null ? -1 : psid;
    }

    /**
     * @return one SidTable lookup while the plugger runs.
     */
    @Benchmark
    @Group("sidTableHotPlug")
    @GroupThreads(1)
    public long sidTableLookupUnderHotPlug()
    {
        return sidTableLookup();
    }

    /** Hot-plugs the spare vSID in or out of vIOMMU 0, then parks. */
    @Benchmark
    @Group("sidTableHotPlug")
    @GroupThreads(1)
    public void sidTablePlugger()
    {
        if (plugged)
        {
            table.remove(handles[0], boxedSpareVsid);
        }
        else
        {
            table.put(handles[0], boxedSpareVsid, boxedSparePsid);
        }
        plugged = !plugged;
        LockSupport.parkNanos(PLUG_PARK_NS);
    }

    /**
     * @return one ConcurrentHashMap lookup while the plugger runs.
     */
    @Benchmark
    @Group("chmHotPlug")
    @GroupThreads(1)
    public long chmLookupUnderHotPlug()
    {
        return chmLookup();
    }

    /** Hot-plugs the spare vSID in or out of vIOMMU 0's map, then parks. */
    @Benchmark
    @Group("chmHotPlug")
    @GroupThreads(1)
    public void chmPlugger()
    {
        if (plugged)
        {
            maps[0].remove(boxedSpareVsid);
        }
        else
        {
            maps[0].put(boxedSpareVsid, boxedSparePsid);
        }
        plugged = !plugged;
        LockSupport.parkNanos(PLUG_PARK_NS);
    }
}
