package dev.cmdq.bench.probe;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The placement probe: a two-thread ping-pong over one shared word. On a 2-vCPU VM its round trip
 * swings several-fold with where the host places the vCPUs (about 110 ns "near", 550–600 ns "far"),
 * so every two-thread result is reported next to this number from the same run and compared only
 * within one placement.
 *
 * <p>Each thread's operation is one hand-off; a round trip is two, so the reported average time per
 * operation of the group is half a round trip per side.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlacementProbeBenchmark
{
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * Waits for the ball, sends it back.
     *
     * @param control JMH's control, so a thread left waiting at the end of an iteration leaves.
     */
    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public void ping(final Control control)
    {
        while (!turn.compareAndSet(0, 1))
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * The other side of {@link #ping}.
     *
     * @param control JMH's control.
     */
    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public void pong(final Control control)
    {
        while (!turn.compareAndSet(1, 0))
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
