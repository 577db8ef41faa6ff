package dev.cmdq.bench.fuzz;

/**
 * The three kinds of command the generator produces, mixed by configurable weights.
 */
public enum FuzzFlavour
{
    /** Two fully random 64-bit words (mostly unknown opcodes; known ones with wild fields). */
    RANDOM,
    /** A plausible, well-formed command of an opcode the queue kind accepts, built field by field. */
    VALID,
    /** A plausible command with exactly one field corrupted ({@link FuzzCorruption}). */
    CORRUPTED;

    private static final FuzzFlavour[] VALUES = values();

    /**
     * @param ordinal an ordinal.
     * @return the flavour, from a cached array.
     */
    public static FuzzFlavour of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return number of flavours.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
