package dev.cmdq.bench.fuzz;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One fuzzing run: for each of N commands, picks the next queue kind (round robin over the configured
 * kinds), lets the generator write a command into a 16-byte slot, asks the oracle what must happen, feeds
 * the words to the {@link FuzzTarget} and checks, in this order:
 * <ol>
 *   <li>no exception escaped the target;</li>
 *   <li>the observed outcome is the oracle's;</li>
 *   <li>the target executed the command exactly once if the outcome lets it run, never if it halts the queue
 *       or the host skipped it ({@link FuzzOutcome#executes});</li>
 *   <li>after a halt, {@link FuzzTarget#repairAndAcknowledge} returns true and a probe CMD_SYNC (CS = NONE) is
 *       then executed exactly once with the oracle's outcome — the queue recovered, and repairing re-ran
 *       nothing.</li>
 * </ol>
 * The first broken check is recorded for the command in the {@link FuzzReport}. The loop allocates nothing
 * while every check passes (failures may allocate their description).
 *
 * <p>Wiring, e.g. for {@code ./cmdq fuzz --seed S --commands N}:
 * <pre>
 *   FuzzContext context = new FuzzContext(vsidsOfTheVm, false, FuzzOutcome.ILL);
 *   FuzzCommandGenerator generator = new FuzzCommandGenerator(seed, 1, 1, 2, context);
 *   FuzzReport report = new FuzzReport(seed, n, 1, 1, 2, context);
 *   new FuzzSession(generator, new CerrorOracle(), context, FuzzQueueKind.values()).run(target, n, report);
 *   out.println(report.toText());            // ends with "N passed, M failed"
 *   return report.failed() == 0 ? 0 : 1;
 * </pre>
 */
public final class FuzzSession
{
    /** The probe after a repair: CMD_SYNC (0x46) with CS = NONE, legal on every queue kind. */
    public static final long PROBE_DWORD0 = 0x46L;
    /** Its dw1: no MSI address. */
    public static final long PROBE_DWORD1 = 0;

    private final FuzzCommandGenerator generator;
    private final CerrorOracle oracle;
    private final FuzzContext context;
    private final FuzzQueueKind[] kinds;
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);

    /**
     * @param generator the command source (its context must be {@code context}).
     * @param oracle    the predictor.
     * @param context   the VM's vSIDs and the modes, as the target is configured.
     * @param kinds     the queue kinds to feed, in round-robin order (at least one).
     */
    public FuzzSession(
        final FuzzCommandGenerator generator, final CerrorOracle oracle, final FuzzContext context, final FuzzQueueKind... kinds)
    {
        if (kinds.length == 0)
        {
            throw new IllegalArgumentException("kinds: at least one queue kind needed");
        }
        this.generator = generator;
        this.oracle = oracle;
        this.context = context;
        this.kinds = kinds.clone();
    }

    /**
     * Runs {@code commands} commands against {@code target}, adding to {@code report}.
     *
     * @param target   the system under test.
     * @param commands how many commands.
     * @param report   where the counts go.
     * @return {@code report}.
     */
    public FuzzReport run(final FuzzTarget target, final long commands, final FuzzReport report)
    {
        if (commands < 0)
        {
            throw new IllegalArgumentException("commands: must be >= 0, was " + commands);
        }
        for (long i = 0; i < commands; i++)
        {
            final FuzzQueueKind kind = kinds[(int)(i % kinds.length)];
            generator.next(kind, slot, 0);
            final long dword0 = slot.getLong(0, ByteOrder.LITTLE_ENDIAN);
            final long dword1 = slot.getLong(8, ByteOrder.LITTLE_ENDIAN);
            final int verdict = oracle.verdict(kind, dword0, dword1, context);
            final int expected = FuzzVerdict.outcome(verdict);
            FuzzCheck check = FuzzCheck.PASSED;
            String detail = null;
            int observed = -1;
            final long executedBefore = target.executed(kind);
            try
            {
                observed = target.submit(kind, dword0, dword1);
            }
            catch (final RuntimeException ex)
            {
                check = FuzzCheck.EXCEPTION;
                detail = "submit threw " + ex;
            }
            if (check == FuzzCheck.PASSED)
            {
                final long executed = target.executed(kind) - executedBefore;
                if (observed != expected)
                {
                    check = FuzzCheck.WRONG_OUTCOME;
                }
                else if (executed != (FuzzOutcome.executes(expected) ? 1 : 0))
                {
                    check = FuzzCheck.WRONG_EXECUTION_COUNT;
                    detail = "executed " + executed + " times";
                }
            }
            if (check == FuzzCheck.EXCEPTION || FuzzOutcome.halts(observed))
            {
                final String failure = recover(target, kind);
                if (failure == null)
                {
                    report.recordRecovery(kind);
                }
                else if (check == FuzzCheck.PASSED)
                {
                    check = FuzzCheck.NO_RECOVERY;
                    detail = failure;
                }
            }
            report.record(i, kind, generator.flavour(), generator.corruption(), dword0, dword1, verdict, observed, check, detail);
        }
        return report;
    }

    /**
     * @return null when the queue resumed, else what went wrong (after one more repair attempt, so the
     *         next command finds the queue as usable as the target can make it).
     */
    private String recover(final FuzzTarget target, final FuzzQueueKind kind)
    {
        String failure = null;
        try
        {
            // counted from before the repair: a repair that re-executes earlier good commands shows up here
            final long before = target.executed(kind);
            if (!target.repairAndAcknowledge(kind))
            {
                failure = "repairAndAcknowledge returned false";
            }
            else
            {
                final int probeExpected = oracle.expected(kind, PROBE_DWORD0, PROBE_DWORD1, context);
                final int probe = target.submit(kind, PROBE_DWORD0, PROBE_DWORD1);
                final long executed = target.executed(kind) - before;
                if (probe != probeExpected || executed != 1)
                {
                    failure = "probe CMD_SYNC after repair: " + FuzzOutcome.name(probe) + ", executed " + executed
                        + " times, expected " + FuzzOutcome.name(probeExpected) + " once";
                }
            }
        }
        catch (final RuntimeException ex)
        {
            failure = "recovery threw " + ex;
        }
        if (failure != null)
        {
            try
            {
                target.repairAndAcknowledge(kind);
            }
            catch (final RuntimeException ignored)
            {
                // already counted as a failed recovery; nothing more to learn from a second throw
            }
        }
        return failure;
    }
}
