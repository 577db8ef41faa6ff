package dev.cmdq.bench.e2e;

import dev.cmdq.bench.scenario.PathKind;
import dev.cmdq.bench.scenario.TimingMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * One guest DMA unmap end to end with the SMMU engine on its own thread and the guest polling CONS:
 * each sync is a cross-thread hand-off, so report it beside the placement probe of the same run
 * ({@code dev.cmdq.bench.probe.PlacementProbeBenchmark}). No modelled cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ThreadedUnmapBenchmark
{
    /** The path. */
    @Param({"TRAPPED_PER_COMMAND", "TRAPPED_BATCHED", "VCMDQ"})
    public PathKind path;

    /** Bytes unmapped. */
    @Param({"4096", "262144"})
    public long granule;

    /** SMMU range invalidation. */
    @Param({"false", "true"})
    public boolean ril;

    private UnmapState state;

    /**
     * Wires a fresh system for the trial.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        state = new UnmapState(path, granule, ril, TimingMode.REAL);
    }

    /**
     * Tears it down.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        state.close();
    }

    /**
     * One unmap, waited for.
     */
    @Benchmark
    public void unmap()
    {
        state.unmap();
    }
}
