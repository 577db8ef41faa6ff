package dev.cmdq.bench.fuzz;

/**
 * The one field a corrupted command has wrong, and so the rule it is meant to trip. Which corruptions apply
 * depends on the queue kind (e.g. a forbidden opcode only means something on a guest VCMDQ).
 */
public enum FuzzCorruption
{
    /** Not corrupted (random or valid flavour). */
    NONE,
    /** One bit outside every field of the opcode set (illegal in strict mode only). */
    RESERVED_BIT,
    /** SSec (dw0 bit 10) set on a command that has an SSec bit. */
    SSEC,
    /** CMD_SYNC CS = 3 (reserved), or on a guest VCMDQ any CS other than NONE. */
    BAD_SYNC_CS,
    /** PRI_RESP RESP = 3 (reserved). */
    BAD_PRI_RESP,
    /** A range TLBI turned into TG != 0 with NUM = SCALE = TTL = 0. */
    RESERVED_RANGE,
    /** Guest VCMDQ: the opcode byte replaced by a known opcode outside the allow-list. */
    FORBIDDEN_OPCODE,
    /** The opcode byte replaced by one no Non-secure queue knows. */
    UNKNOWN_OPCODE,
    /** The SID of a SID-scoped command replaced by one the VM does not own. */
    UNOWNED_SID;

    private static final FuzzCorruption[] VALUES = values();

    /**
     * @param ordinal an ordinal.
     * @return the corruption, from a cached array.
     */
    public static FuzzCorruption of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return number of corruptions (including {@link #NONE}).
     */
    public static int count()
    {
        return VALUES.length;
    }
}
