package dev.cmdq.bench.cli;

import dev.cmdq.bench.scenario.CompareReport;
import dev.cmdq.bench.scenario.CompareRow;
import dev.cmdq.bench.scenario.CompareRunner;
import dev.cmdq.bench.scenario.CompareSettings;
import dev.cmdq.bench.scenario.CostProfile;
import dev.cmdq.bench.scenario.TestbedPaths;
import dev.cmdq.bench.scenario.PathFactory;
import dev.cmdq.bench.scenario.PathKind;
import dev.cmdq.bench.scenario.Progress;
import dev.cmdq.bench.scenario.ProgressLine;
import dev.cmdq.bench.scenario.PublishedProfile;
import dev.cmdq.bench.scenario.ReportFiles;
import dev.cmdq.bench.scenario.ReportTable;
import dev.cmdq.bench.scenario.TimingMode;
import dev.cmdq.bench.scenario.Workload;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code cmdq compare}: the published VCMDQ-vs-trap experiment (vcmdq-viommu.md §5.2) on the three
 * paths, in simulated or real time; prints one table and writes {@code compare.json}, {@code compare.md}
 * and {@code compare.png}. With {@code --profile published} the costs are first derived from the rows
 * 4K x 1 and 256K x 1 and the model then predicts every row. Exit 0 on success, 2 on a failed run or
 * unwritable report.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
        "Guest DMA-unmap latency on trapped (per-command, batched) and VCMDQ paths,",
        "rows granule 4K..256K x 1 and 2 threads as in the published table.",
        "Simulated time (default on fewer cores than busy actors) measures each",
        "inline step's CPU time and adds modelled costs and waits on virtual clocks;",
        "real time runs threads. With all costs 0 compare only the speed-ups.",
        "Writes compare.json, compare.md and compare.png into --out."})
public final class CompareCommand implements Callable<Integer>
{
    /** The profiles {@code --profile} accepts. */
    enum Profile
    {
        zero,
        published
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "few rounds (or a short duration): under 20 s")
    private boolean quick;

    @Option(names = "--mode", description = "real or simulated (default: simulated when cores < busy actors)")
    private String mode;

    @Option(names = "--range-inv", defaultValue = "off", description = "SMMU range invalidation: on|off (default ${DEFAULT-VALUE})")
    private String rangeInv;

    @Option(names = "--ats", defaultValue = "off", description = "device uses ATS: on|off (default ${DEFAULT-VALUE})")
    private String ats;

    @Option(names = "--host-strategy", defaultValue = "LINUX_LOCKFREE",
        description = "host main-CMDQ insertion: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    private HostCmdqStrategy hostStrategy;

    @Option(names = "--host-load", defaultValue = "0",
        description = "simulated mode: background 4K unmaps per ms of virtual time by a second, trapped VM on the same SMMU (default 0)")
    private double hostLoad;

    @Option(names = "--duration", description = "real mode: measured ms per path and row (default 1000, quick 200)")
    private Long durationMs;

    @Option(names = "--rounds", description = "simulated mode: measured rounds per path and row (default 20000, quick 3000)")
    private Integer rounds;

    @Option(names = "--warmup-rounds", description = "simulated mode: warm-up rounds (default 5000, quick 1000)")
    private Integer warmupRounds;

    @Option(names = "--seed", defaultValue = "42", description = "seed of step order and IOVAs (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--exit-ns", defaultValue = "0", description = "modelled VM exit + re-entry, ns (default 0)")
    private double exitNs;

    @Option(names = "--syscall-ns", defaultValue = "0", description = "modelled syscall entry + return, ns (default 0)")
    private double syscallNs;

    @Option(names = "--hw-cmd-ns", defaultValue = "0", description = "modelled SMMU time per executed command, ns (default 0)")
    private double hwCmdNs;

    @Option(names = "--guest-unmap-ns", defaultValue = "0", description = "modelled guest unmap work besides invalidation, ns (default 0)")
    private double guestUnmapNs;

    @Option(names = "--profile", defaultValue = "zero",
        description = "cost profile: zero (the --*-ns options) or published (derived from 4K x 1 and 256K x 1)")
    private Profile profile;

    @Option(names = "--granules", split = ",", description = "buffer sizes in KiB (default 4,16,64,128,256)")
    private List<Long> granulesKib;

    @Option(names = "--threads", split = ",", description = "guest thread counts (default 1,2)")
    private List<Integer> threads;

    @Option(names = "--paths", split = ",", description = "paths: ${COMPLETION-CANDIDATES} (default all)")
    private List<PathKind> paths;

    @Option(names = "--out", defaultValue = "target/cmdq-report", description = "report directory (default ${DEFAULT-VALUE})")
    private Path out;

    /**
     * Runs the comparison.
     *
     * @return 0 on success, 2 when the run failed or the report could not be written.
     */
    @Override
    public Integer call()
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            final PathFactory factory = new TestbedPaths(hostStrategy, hostLoad > 0);
            final CompareSettings settings = settings(factory);
            if (settings.mode() == TimingMode.REAL && hostLoad > 0)
            {
                throw new IllegalArgumentException("--host-load=" + hostLoad + " needs --mode simulated (real mode has no background thread)");
            }
            final int busy = busyActors(settings, factory);
            final int cores = Runtime.getRuntime().availableProcessors();
            final boolean terminal = System.console() != null;
            final CompareReport report;
            if (profile == Profile.published)
            {
                final CompareSettings calibration = PublishedProfile.calibrationSettings(settings);
                // A first pass only warms the JIT: a measured CPU cost of interpreted code would be charged
                // to the derived costs (and can exceed the published latencies outright).
                new CompareRunner(factory, progress(terminal, calibration)).run(calibration);
                final CompareRunner calibrate = new CompareRunner(factory, progress(terminal, calibration));
                final CostProfile derived = PublishedProfile.derive(calibrate.run(calibration));
                stdout.println("profile " + derived);
                stdout.flush();
                final CompareSettings predicted = settings.withCosts(derived);
                final CompareRunner runner = new CompareRunner(factory, progress(terminal, predicted));
                final List<CompareRow> rows = runner.run(predicted);
                report = new CompareReport(predicted, rows, cores, busy, ReportFiles.gitRevision(), runner.systemLines(), true);
            }
            else
            {
                final CompareRunner runner = new CompareRunner(factory, progress(terminal, settings));
                final List<CompareRow> rows = runner.run(settings);
                report = new CompareReport(settings, rows, cores, busy, ReportFiles.gitRevision(), runner.systemLines(), false);
            }
            for (final String line : report.header())
            {
                stdout.println(line);
            }
            stdout.print(new ReportTable(report).text());
            if (report.predicted())
            {
                stdout.println("assumptions of the published profile:");
                for (final String line : report.settings().costs().assumptions())
                {
                    stdout.println("  - " + line);
                }
            }
            for (final Path file : ReportFiles.write(report, out))
            {
                stdout.println("wrote " + file);
            }
            stdout.flush();
            return 0;
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("cmdq compare: " + ex.getMessage());
            err.flush();
            return 2;
        }
    }

    private CompareSettings settings(final PathFactory factory)
    {
        final List<Long> granules = new ArrayList<>();
        if (granulesKib == null)
        {
            for (final long g : Workload.PUBLISHED_GRANULES)
            {
                granules.add(g);
            }
        }
        else
        {
            for (final long kib : granulesKib)
            {
                granules.add(kib * 1024);
            }
        }
        final List<Integer> threadCounts = threads != null ? threads : Arrays.stream(Workload.PUBLISHED_THREADS).boxed().toList();
        final List<PathKind> pathKinds = paths != null ? paths : List.of(PathKind.values());
        final CostProfile costs = profile == Profile.published ? CostProfile.ZERO :
            new CostProfile(exitNs == 0 && syscallNs == 0 && hwCmdNs == 0 && guestUnmapNs == 0 ? "zero" : "custom",
                exitNs, syscallNs, hwCmdNs, guestUnmapNs,
                List.of("costs as given on the command line; none is measured"));
        final int maxThreads = threadCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        final TimingMode timing = mode == null ?
            TimingMode.defaultFor(Runtime.getRuntime().availableProcessors(), maxThreads + factory.extraBusyActors(TimingMode.REAL)) :
            timingMode(mode);
        return new CompareSettings(granules, threadCounts, pathKinds, timing, onOff("--range-inv", rangeInv),
            onOff("--ats", ats), hostStrategy.name(),
            warmupRounds != null ? warmupRounds : quick ? 1000 : 5000,
            rounds != null ? rounds : quick ? 3000 : 20000,
            TimeUnit.MILLISECONDS.toNanos(quick ? 50 : 200),
            TimeUnit.MILLISECONDS.toNanos(durationMs != null ? durationMs : quick ? 200 : 1000),
            seed, costs, hostLoad);
    }

    private static int busyActors(final CompareSettings settings, final PathFactory factory)
    {
        final int maxThreads = settings.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
        return maxThreads + factory.extraBusyActors(TimingMode.REAL);
    }

    private static Progress progress(final boolean terminal, final CompareSettings settings)
    {
        return new ProgressLine(System.err, terminal, CompareRunner.tasks(settings));
    }

    private static TimingMode timingMode(final String value)
    {
        if ("real".equals(value))
        {
            return TimingMode.REAL;
        }
        if ("simulated".equals(value))
        {
            return TimingMode.SIMULATED;
        }
        throw new IllegalArgumentException("--mode=" + value + " is neither real nor simulated");
    }

    private static boolean onOff(final String option, final String value)
    {
        if ("on".equals(value))
        {
            return true;
        }
        if ("off".equals(value))
        {
            return false;
        }
        throw new IllegalArgumentException(option + "=" + value + " is neither on nor off");
    }
}
