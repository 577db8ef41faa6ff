package dev.cmdq.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

import dev.cmdq.bench.fuzz.CerrorOracle;
import dev.cmdq.bench.fuzz.FuzzCommandGenerator;
import dev.cmdq.bench.fuzz.FuzzContext;
import dev.cmdq.bench.fuzz.FuzzOutcome;
import dev.cmdq.bench.fuzz.FuzzQueueKind;
import dev.cmdq.bench.fuzz.FuzzReport;
import dev.cmdq.bench.fuzz.FuzzSession;
import dev.cmdq.bench.fuzz.system.ReportFile;
import dev.cmdq.bench.fuzz.system.SystemFuzzTarget;
import dev.cmdq.queue.issue.WaitPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cmdq fuzz}: random, valid and singly-corrupted commands into every queue kind of the real
 * system ({@link SystemFuzzTarget}, inline), each outcome compared with the independent oracle
 * ({@link CerrorOracle}); prints the report ending {@code N passed, M failed} and writes it to
 * {@code <report-dir>/fuzz.txt} and {@code fuzz.json}. Exit 0 only when nothing failed and no exception
 * escaped an engine; 1 otherwise; 2 when the report cannot be written.
 */
@Command(
    name = "fuzz",
    mixinStandardHelpOptions = true,
    description = {
        "Feeds random and corrupted commands into the main CMDQ, a host VCMDQ, a guest VCMDQ and the trapped",
        "guest CMDQ through the real producers, engine and trap handler; every outcome must be the independent",
        "oracle's, every good command executed once, every halted queue recover. Ends 'N passed, M failed'."})
public final class FuzzCommand implements Callable<Integer>
{
    /** Default size: a few million commands, under a minute on the reference machine. */
    public static final long DEFAULT_COMMANDS = 3_000_000;
    /** The VM's vSIDs (vDEVICEs, SID slots) unless {@code --vsids} says otherwise. */
    static final int[] DEFAULT_VSIDS = {0x10, 0x11, 0x20, 0x1234};

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", defaultValue = "1", description = "generator seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--commands", defaultValue = "" + DEFAULT_COMMANDS, description = "commands to feed (default ${DEFAULT-VALUE})")
    private long commands;

    @Option(names = "--strict", description = "reserved bits and values are illegal (HardwarePolicy reservedBits=CHECKED)")
    private boolean strict;

    @Option(names = "--vsids", split = ",", description = "the VM's vSIDs, comma separated (default 16,17,32,4660)")
    private int[] vsids = DEFAULT_VSIDS.clone();

    @Option(names = "--counts", description = "also write every count as a properties file (the CI baseline format)")
    private Path countsFile;

    @Option(names = "--report-dir", defaultValue = "target/cmdq-report", description = "where fuzz.txt and fuzz.json go (default ${DEFAULT-VALUE})")
    private Path reportDir = Paths.get("target", "cmdq-report");

    /**
     * Runs the fuzzer.
     *
     * @return 0 when every command passed, 1 when any failed, 2 when the report cannot be written.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (commands < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--commands: must be >= 0, was " + commands);
        }
        final FuzzContext context;
        try
        {
            context = new FuzzContext(vsids, strict, FuzzOutcome.ILL);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vsids: " + ex.getMessage());
        }
        final Result result = run(seed, commands, context);
        out.println(result.text());
        out.flush();
        try
        {
            ReportFile.write(reportDir, "fuzz", result.text(), result.json());
            if (countsFile != null)
            {
                ReportFile.writeCounts(countsFile, "cmdq fuzz --seed " + seed + " --commands " + commands
                    + (strict ? " --strict" : ""), result.counts());
            }
        }
        catch (final IOException ex)
        {
            err.println("cmdq fuzz: cannot write the report to " + reportDir + ": " + ex.getMessage());
            err.flush();
            return 2;
        }
        return result.failed() == 0 ? 0 : 1;
    }

    /**
     * One fuzz run against a freshly built system, in process (the CI test calls this).
     *
     * @param seed     the generator seed.
     * @param commands how many commands.
     * @param context  the VM's vSIDs and the modes.
     * @return the counts and both renderings.
     */
    static Result run(final long seed, final long commands, final FuzzContext context)
    {
        final FuzzCommandGenerator generator = new FuzzCommandGenerator(seed, 1, 1, 2, context);
        final FuzzReport report = new FuzzReport(seed, commands, 1, 1, 2, context);
        final long engineErrors;
        final long hostRepairs;
        final Throwable lastEngineError;
        try (SystemFuzzTarget target = new SystemFuzzTarget(context, WaitPolicy.DEFAULT_TIMEOUT_NS))
        {
            new FuzzSession(generator, new CerrorOracle(), context, FuzzQueueKind.values()).run(target, commands, report);
            engineErrors = target.engineErrors();
            hostRepairs = target.hostMainCmdqRepairs();
            lastEngineError = target.lastEngineError();
        }
        final String revision = ReportFile.gitRevision();
        final long failed = report.failed() + engineErrors;
        final String body = report.toText();
        final int lastLine = body.lastIndexOf('\n');
        final StringBuilder text = new StringBuilder(body.length() + 256);
        text.append("revision: ").append(revision).append(System.lineSeparator());
        text.append(body, 0, lastLine + 1);
        text.append("host main-CMDQ CERRORs repaired by its GERROR handler: ").append(hostRepairs).append(System.lineSeparator());
        text.append("engine exceptions: ").append(engineErrors)
            .append(lastEngineError == null ? "" : " (last: " + lastEngineError + ")").append(System.lineSeparator());
        text.append(report.passed()).append(" passed, ").append(failed).append(" failed");
        final String json = "{\"harness\":\"fuzz\",\"revision\":" + ReportFile.jsonString(revision)
            + ",\"engineExceptions\":" + engineErrors + ",\"hostMainCmdqRepairs\":" + hostRepairs + ",\"passed\":" + report.passed() + ",\"failed\":" + failed
            + ",\"report\":" + report.toJson() + "}";
        return new Result(report, engineErrors, hostRepairs, failed, text.toString(), json);
    }

    /**
     * A finished run.
     *
     * @param report       the session's counts.
     * @param engineErrors exceptions the engines caught.
     * @param hostRepairs  host main-CMDQ CERRORs its GERROR handler serviced.
     * @param failed       failed commands plus engine exceptions.
     * @param text         the text report, last line {@code N passed, M failed}.
     * @param json         the JSON report.
     */
    record Result(FuzzReport report, long engineErrors, long hostRepairs, long failed, String text, String json)
    {
        /**
         * @return every count of the run by a stable name: what the CI short run compares.
         */
        java.util.SortedMap<String, Long> counts()
        {
            final java.util.SortedMap<String, Long> c = new java.util.TreeMap<>();
            c.put("passed", report.passed());
            c.put("failed", failed);
            c.put("engineExceptions", engineErrors);
            for (final FuzzQueueKind k : FuzzQueueKind.values())
            {
                for (int o = 0; o < FuzzOutcome.COUNT; o++)
                {
                    c.put("predicted." + k + "." + FuzzOutcome.name(o), report.predicted(k, o));
                }
                c.put("recoveries." + k, report.recoveries(k));
            }
            for (final dev.cmdq.bench.fuzz.FuzzFlavour f : dev.cmdq.bench.fuzz.FuzzFlavour.values())
            {
                c.put("flavour." + f, report.count(f));
            }
            for (final dev.cmdq.bench.fuzz.FuzzCorruption x : dev.cmdq.bench.fuzz.FuzzCorruption.values())
            {
                c.put("corruption." + x, report.count(x));
            }
            for (final dev.cmdq.bench.fuzz.FuzzCheck x : dev.cmdq.bench.fuzz.FuzzCheck.values())
            {
                c.put("check." + x, report.count(x));
            }
            c.put("hostMainCmdqRepairs", hostRepairs);
            return c;
        }
    }
}
