package dev.cmdq.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real JMH fork of the cmdq ring benchmark: the forked JVM must start with the parent pom's flags
 * (Agrona needs jdk.internal.misc), the JSON file must be written, and the GC profiler must report no
 * allocation per entry. No timing is asserted — only that it ran, and what it allocated.
 */
final class JmhRunTest
{
    @Test
    @Tag("slow")
    void forkedCmdqRingBenchmarkRunsAndAllocatesNothing(@TempDir final Path dir) throws Exception
    {
        final Path json = dir.resolve("smoke.json");
        final Collection<RunResult> results = new JmhRun()
            .include("dev.cmdq.bench.ring.RingSingleThreadBenchmark.cmdqBatch64")
            .forks(1)
            .iterations(1, 1, 0.5)
            .gcProfiler(true)
            .json(json)
            .run();
        assertEquals(1, results.size());
        final RunResult r = results.iterator().next();
        assertTrue(r.getPrimaryResult().getScore() > 0, "no score");
        final double bytesPerEntry = ResultTable.secondary(r, "gc.alloc.rate.norm");
        // JMH's own infrastructure amortises to ~1e-4 B/op; one allocated object per entry would be >= 16.
        assertTrue(bytesPerEntry < 0.05, "allocated " + bytesPerEntry + " B per entry");
        assertTrue(Files.size(json) > 0, "JSON result not written");
    }
}
