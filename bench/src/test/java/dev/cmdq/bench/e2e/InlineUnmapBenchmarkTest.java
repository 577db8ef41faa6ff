package dev.cmdq.bench.e2e;

import dev.cmdq.bench.scenario.PathKind;
import dev.cmdq.queue.testkit.AllocationProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every parameter combination of the inline benchmark sets up, runs its benchmark method warm without
 * allocating (what {@code -prof gc} should then show as 0 B/op), and tears down.
 */
class InlineUnmapBenchmarkTest
{
    static Stream<Arguments> params()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final PathKind path : PathKind.values())
        {
            for (final long granule : new long[] {4096, 262144})
            {
                for (final boolean ril : new boolean[] {false, true})
                {
                    all.add(Arguments.of(path, granule, ril));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} ril={2}")
    @MethodSource("params")
    void aWarmBenchmarkCallAllocatesNothing(final PathKind path, final long granule, final boolean ril)
    {
        final InlineUnmapBenchmark b = new InlineUnmapBenchmark();
        b.path = path;
        b.granule = granule;
        b.ril = ril;
        b.setUp();
        try
        {
            final Runnable loop = () ->
            {
                for (int i = 0; i < 20; i++)
                {
                    b.unmap();
                }
            };
            assertEquals(0, AllocationProbe.bytesOnceWarm(loop, 100, 3));
        }
        finally
        {
            b.tearDown();
        }
    }
}
