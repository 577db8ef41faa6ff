package dev.cmdq.queue;

/**
 * The CMDQ_CONS register value: read index and wrap, plus the ERR field.
 *
 * <pre>
 *   31  30          24 23       L+1   L    L-1        0
 *  +---+--------------+-----------+----+--------------+
 *  | 0 |   ERR[6:0]   |     0     |WRAP|     IDX      |
 *  +---+--------------+-----------+----+--------------+
 * </pre>
 *
 * ERR holds the CERROR code ({@link CommandError}) of the command CONS stops on
 * (kernel {@code CMDQ_CONS_ERR = GENMASK(30, 24)}).
 */
public final class ConsRegister
{
    /** Low bit of the ERR field. */
    public static final int ERR_SHIFT = 24;
    /** Mask of the ERR field in place. */
    public static final int ERR_MASK = 0x7F << ERR_SHIFT;

    private ConsRegister()
    {
    }

    /**
     * @param cons a CONS value.
     * @return the ERR field, 0..127.
     */
    public static int err(final int cons)
    {
        return (cons & ERR_MASK) >>> ERR_SHIFT;
    }

    /**
     * @param cons a CONS value.
     * @param err  CERROR code, masked to 7 bits.
     * @return {@code cons} with its ERR field replaced and everything else kept.
     */
    public static int withErr(final int cons, final int err)
    {
        return (cons & ~ERR_MASK) | ((err << ERR_SHIFT) & ERR_MASK);
    }
}
