package dev.cmdq.queue;

/**
 * GERROR / GERRORN bits and the toggle protocol (smmuv3-cmdq.md §1.5).
 *
 * <pre>
 *   31        9   8     7      6      5      4     3     2    1    0
 *  +-----------+-----+------+------+------+------+-----+-----+---+-------+
 *  |     0     | SFM |MSI_GE|MSI_PQ|MSI_EQ|MSI_CQ|PRIQ |EVTQ | 0 |CMDQ   |
 *  |           | _ERR|RROR_ |_ABT  |_ABT  |_ABT  |_ABT |_ABT |   |_ERR   |
 *  +-----------+-----+------+------+------+------+-----+-----+---+-------+
 * </pre>
 *
 * An error X is <em>active</em> while {@code GERROR.X != GERRORN.X}. The device raises it by
 * flipping its GERROR bit (only if not already active); software acknowledges by writing GERRORN
 * so that the bit matches again.
 */
public final class GlobalError
{
    /** Command queue error: the consumer stopped on the entry at CONS. */
    public static final int CMDQ_ERR = 1;
    /** Event queue write abort. */
    public static final int EVTQ_ABT_ERR = 1 << 2;
    /** PRI queue write abort. */
    public static final int PRIQ_ABT_ERR = 1 << 3;
    /** A CMD_SYNC completion (MSI) write aborted. */
    public static final int MSI_CMDQ_ABT_ERR = 1 << 4;
    /** Event queue MSI write abort. */
    public static final int MSI_EVTQ_ABT_ERR = 1 << 5;
    /** PRI queue MSI write abort. */
    public static final int MSI_PRIQ_ABT_ERR = 1 << 6;
    /** GERROR MSI write abort. */
    public static final int MSI_GERROR_ABT_ERR = 1 << 7;
    /** Service failure mode. */
    public static final int SFM_ERR = 1 << 8;
    /** Every defined bit (kernel mask 0x1fd). */
    public static final int ALL = 0x1FD;

    private GlobalError()
    {
    }

    /**
     * @param gerror  GERROR value.
     * @param gerrorn GERRORN value.
     * @return the active error bits.
     */
    public static int active(final int gerror, final int gerrorn)
    {
        return (gerror ^ gerrorn) & ALL;
    }

    /**
     * The device side of the protocol: flips each requested bit that is not already active.
     *
     * @param gerror  current GERROR.
     * @param gerrorn current GERRORN.
     * @param bits    errors to raise.
     * @return the new GERROR value.
     */
    public static int raise(final int gerror, final int gerrorn, final int bits)
    {
        final int toFlip = ~(gerror ^ gerrorn) & bits & ALL;
        return gerror ^ toFlip;
    }
}
