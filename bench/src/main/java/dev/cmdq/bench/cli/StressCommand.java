package dev.cmdq.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

import dev.cmdq.bench.fuzz.system.ReportFile;
import dev.cmdq.bench.stress.StressConfig;
import dev.cmdq.bench.stress.StressCounts;
import dev.cmdq.bench.stress.StressRun;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.testbed.EngineMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cmdq stress}: VMs on two physical SMMUs with random traffic on both paths, bad commands, hot-plug
 * and VM teardown while traffic flows, every effect checked against an independent ownership model
 * ({@link StressRun}), every command counted at execution for its owner and settled exactly once. Prints
 * the counts and {@code N passed, M failed (exactly-once: K commands settled over O owners)}, writes
 * {@code <report-dir>/stress.txt} and {@code stress.json}. Exit 0 only without violations; 1 with; 2 when
 * the report cannot be written.
 */
@Command(
    name = "stress",
    mixinStandardHelpOptions = true,
    description = {
        "VMs sharing two physical SMMUs: invalidation traffic on guest VCMDQs and trapped CMDQs, injected bad",
        "commands, hot-plug and VM teardown while traffic flows, checked against an independent model of who",
        "owns what, every command counted at execution for its owner (exactly once). Ends with the counts and",
        "'N passed, M failed (exactly-once: K commands settled over O owners)'."})
public final class StressCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--vms", defaultValue = "6", description = "VM slots (default ${DEFAULT-VALUE})")
    private int vms;

    @Option(names = "--producers", defaultValue = "2", description = "traffic producers (default ${DEFAULT-VALUE})")
    private int producers;

    @Option(names = "--seconds", defaultValue = "10", description = "wall-clock bound, 0 = none (default ${DEFAULT-VALUE})")
    private long seconds;

    @Option(names = "--steps", defaultValue = "0", description = "steps per producer, 0 = none (default ${DEFAULT-VALUE})")
    private long steps;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--engines", defaultValue = "THREADED", description = "INLINE (deterministic) or THREADED (default ${DEFAULT-VALUE})")
    private EngineMode engines;

    @Option(names = "--host-strategy", defaultValue = "LINUX_LOCKFREE",
        description = "host main-CMDQ insertion: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    private HostCmdqStrategy hostStrategy;

    @Option(names = "--counts", description = "also write every count as a properties file (the CI baseline format)")
    private Path countsFile;

    @Option(names = "--report-dir", defaultValue = "target/cmdq-report", description = "where stress.txt and stress.json go (default ${DEFAULT-VALUE})")
    private Path reportDir = Paths.get("target", "cmdq-report");

    /**
     * Runs the stress harness.
     *
     * @return 0 without violations, 1 with, 2 when the report cannot be written.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final StressConfig config;
        try
        {
            config = new StressConfig(vms, producers, seconds, steps, seed, engines, hostStrategy);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final StressCounts counts = StressRun.run(config);
        final String revision = ReportFile.gitRevision();
        final String text = StressRun.text(config, counts, revision);
        out.println(text);
        out.flush();
        try
        {
            ReportFile.write(reportDir, "stress", text, StressRun.json(config, counts, revision));
            if (countsFile != null)
            {
                ReportFile.writeCounts(countsFile, "cmdq stress --vms " + vms + " --producers " + producers + " --steps " + steps
                    + " --seconds " + seconds + " --seed " + seed + " --engines " + engines + " --host-strategy " + hostStrategy, counts.toMap());
            }
        }
        catch (final IOException ex)
        {
            err.println("cmdq stress: cannot write the report to " + reportDir + ": " + ex.getMessage());
            err.flush();
            return 2;
        }
        return counts.get(StressCounts.VIOLATIONS) == 0 ? 0 : 1;
    }
}
