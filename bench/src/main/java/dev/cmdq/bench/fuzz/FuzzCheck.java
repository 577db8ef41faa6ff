package dev.cmdq.bench.fuzz;

/**
 * What the session checks for each command; every command either passes all checks or fails the first
 * one listed here that it breaks.
 */
public enum FuzzCheck
{
    /** Every check held. */
    PASSED,
    /** An exception escaped the target (engine or trap handler) while it ran the command. */
    EXCEPTION,
    /** The observed outcome is not the oracle's. */
    WRONG_OUTCOME,
    /** The command was executed other than exactly once (once if accepted, never if refused). */
    WRONG_EXECUTION_COUNT,
    /** After repair and acknowledge the halted queue did not execute a CMD_SYNC exactly once. */
    NO_RECOVERY;

    private static final FuzzCheck[] VALUES = values();

    /**
     * @param ordinal an ordinal.
     * @return the check, from a cached array.
     */
    public static FuzzCheck of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return number of checks (including {@link #PASSED}).
     */
    public static int count()
    {
        return VALUES.length;
    }
}
