package dev.cmdq.bench.fuzz;

import dev.cmdq.queue.CommandError;

/**
 * What a queue does with one command, as a small int so the hot path never boxes. Values 0..4 are the
 * CERROR codes themselves ({@link CommandError}); 5..8 are the trap handler's actions on the trapped
 * path. {@link #COUNT} sizes count tables.
 *
 * <pre>
 *   0 CERROR_NONE         device queue executed the command
 *   1 CERROR_ILL          illegal command (queue halts)
 *   2 CERROR_ABT          fetch abort (never predicted: the fuzzer's memory never faults)
 *   3 CERROR_ATC_INV_SYNC ATS invalidation timeout (never predicted: no ATS device times out)
 *   4 CERROR_ILL_ACCESS   guest VCMDQ used a command or SID its VINTF may not use (queue halts)
 *   5 FORWARD             trap handler sent it to the host invalidate (IOMMU_HWPT_INVALIDATE)
 *   6 REINSTALL_STE       trap handler re-installed the device's STE on the host
 *   7 COMPLETE_SYNC       trap handler completed a CMD_SYNC locally
 *   8 IGNORE              trap handler consumed it without effect
 *   9 FORWARD_SKIPPED     trap handler forwarded it, the host's main CMDQ refused it and the host's
 *                         GERROR handler skipped it: the guest sees success, nothing was executed
 * </pre>
 */
public final class FuzzOutcome
{
    /** Device queue: executed, no error. */
    public static final int NONE = CommandError.NONE;
    /** CERROR_ILL, on any queue kind. */
    public static final int ILL = CommandError.ILL;
    /** CERROR_ABT. */
    public static final int ABT = CommandError.ABT;
    /** CERROR_ATC_INV_SYNC. */
    public static final int ATC_INV_SYNC = CommandError.ATC_INV_SYNC;
    /** CERROR ILL_ACCESS (Tegra241 VCMDQ). */
    public static final int ILL_ACCESS = CommandError.ILL_ACCESS;
    /** Trapped path: forwarded to the host's invalidate. */
    public static final int FORWARD = 5;
    /** Trapped path: STE re-installed on the host (host CFGI_STE + sync). */
    public static final int REINSTALL_STE = 6;
    /** Trapped path: CMD_SYNC completed by the trap handler itself. */
    public static final int COMPLETE_SYNC = 7;
    /** Trapped path: consumed, nothing done. */
    public static final int IGNORE = 8;
    /** Trapped path: forwarded, refused by the host's main CMDQ, skipped by the host (never executed). */
    public static final int FORWARD_SKIPPED = 9;
    /** Number of outcomes. */
    public static final int COUNT = 10;

    private static final String[] NAMES =
    {
        CommandError.name(NONE), CommandError.name(ILL), CommandError.name(ABT), CommandError.name(ATC_INV_SYNC),
        CommandError.name(ILL_ACCESS), "FORWARD", "REINSTALL_STE", "COMPLETE_SYNC", "IGNORE",
        "FORWARD_SKIPPED",
    };

    private FuzzOutcome()
    {
    }

    /**
     * @param outcome an outcome.
     * @return true when it is a CERROR other than NONE, i.e. the queue halted and needs repair and
     *         acknowledge.
     */
    public static boolean halts(final int outcome)
    {
        return outcome >= ILL && outcome <= ILL_ACCESS;
    }

    /**
     * @param outcome an outcome.
     * @return true when the command it describes was executed (exactly once): neither a halt nor a
     *         forward the host skipped.
     */
    public static boolean executes(final int outcome)
    {
        return !halts(outcome) && outcome != FORWARD_SKIPPED;
    }

    /**
     * @param outcome an outcome.
     * @return true when it is one of the codes above.
     */
    public static boolean isValid(final int outcome)
    {
        return outcome >= 0 && outcome < COUNT;
    }

    /**
     * @param outcome an outcome.
     * @return its name, or {@code "OUTCOME_<n>"} for a value that is none.
     */
    public static String name(final int outcome)
    {
        return isValid(outcome) ? NAMES[outcome] : "OUTCOME_" + outcome;
    }
}
