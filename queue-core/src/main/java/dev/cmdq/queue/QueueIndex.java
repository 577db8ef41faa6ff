package dev.cmdq.queue;

/**
 * SMMUv3 PROD/CONS arithmetic for a ring of {@code 2^log2Size} entries.
 *
 * <pre>
 *   31   30        24 23          L+1   L    L-1            0
 *  +----+------------+---------------+----+------------------+
 *  |OVF |  ERR (CONS)|   (unused)    |WRAP|       IDX        |
 *  +----+------------+---------------+----+------------------+
 *   OVF : EVTQ/PRIQ overflow flag; Linux reuses it as OWNED in its software prod copy
 *   ERR : CMDQ_CONS.ERR, the CERROR of the command at CONS (see {@link ConsRegister})
 *   WRAP: flips each time IDX passes the end of the ring
 * </pre>
 *
 * <p>Every method is a pure static function of its arguments, exactly the kernel helpers
 * {@code Q_IDX}, {@code Q_WRP}, {@code Q_OVF}, {@code queue_inc_prod_n}, {@code queue_has_space},
 * {@code queue_full}, {@code queue_empty} and {@code queue_consumed} (smmuv3-cmdq.md §1.1).
 * Bits other than IDX and WRAP (ERR, OVF) are ignored by the comparisons, as the hardware and
 * QEMU compare only the low {@code L+1} bits. Arguments are not range-checked on these hot-path
 * functions; {@link #checkLog2Size(int)} validates a size once, where a ring is built.
 */
public final class QueueIndex
{
    /** Smallest ring this library builds: 2 entries. */
    public static final int MIN_LOG2_SIZE = 1;
    /** Largest ring: 2^19 entries, the QEMU IDR1.CMDQS and Tegra241 VCMDQ_LOG2SIZE_MAX. */
    public static final int MAX_LOG2_SIZE = 19;
    /**
     * IDX bits of the largest ring. ANDing an index with this constant as well as with the ring's own mask
     * costs one instruction and tells the JIT the result is in {@code [0, 2^19)}, so the buffer bounds
     * checks on the slot offset derived from it lose their "negative index" branch.
     */
    public static final int MAX_INDEX_MASK = (1 << MAX_LOG2_SIZE) - 1;
    /** Bit 31: EVTQ/PRIQ overflow; Linux's OWNED flag in its software prod copy. */
    public static final int OVERFLOW_BIT = 0x8000_0000;

    private QueueIndex()
    {
    }

    /**
     * Validates a ring size exponent.
     *
     * @param log2Size log2 of the number of entries.
     * @return {@code log2Size}.
     * @throws IllegalArgumentException naming the value when it is outside
     *                                  [{@value #MIN_LOG2_SIZE}, {@value #MAX_LOG2_SIZE}].
     */
    public static int checkLog2Size(final int log2Size)
    {
        if (log2Size < MIN_LOG2_SIZE || log2Size > MAX_LOG2_SIZE)
        {
            throw new IllegalArgumentException(
                "log2Size=" + log2Size + " outside [" + MIN_LOG2_SIZE + ", " + MAX_LOG2_SIZE + "]");
        }
        return log2Size;
    }

    /**
     * @param log2Size log2 of the number of entries.
     * @return the number of entries, {@code 2^log2Size}.
     */
    public static int capacity(final int log2Size)
    {
        return 1 << log2Size;
    }

    /**
     * @param log2Size log2 of the number of entries.
     * @return the mask of the IDX field.
     */
    public static int indexMask(final int log2Size)
    {
        return (1 << log2Size) - 1;
    }

    /**
     * @param log2Size log2 of the number of entries.
     * @return the mask of IDX and WRAP together (the low {@code L+1} bits).
     */
    public static int wrapIndexMask(final int log2Size)
    {
        return (2 << log2Size) - 1;
    }

    /**
     * @param value    a PROD or CONS value.
     * @param log2Size log2 of the number of entries.
     * @return the slot number, {@code Q_IDX}.
     */
    public static int index(final int value, final int log2Size)
    {
        return value & ((1 << log2Size) - 1);
    }

    /**
     * @param value    a PROD or CONS value.
     * @param log2Size log2 of the number of entries.
     * @return the raw wrap bit (not shifted), {@code Q_WRP}.
     */
    public static int wrap(final int value, final int log2Size)
    {
        return value & (1 << log2Size);
    }

    /**
     * @param value a PROD or CONS value.
     * @return bit 31 in place, {@code Q_OVF}.
     */
    public static int overflow(final int value)
    {
        return value & OVERFLOW_BIT;
    }

    /**
     * Advances a PROD or CONS value by {@code n} entries: WRAP flips on carry out of IDX, bit 31 is
     * kept, every other bit (ERR) is cleared, as {@code queue_inc_prod_n} does.
     *
     * @param value    current value.
     * @param n        entries to advance, {@code 0 <= n <= 2^log2Size}.
     * @param log2Size log2 of the number of entries.
     * @return the advanced value.
     */
    public static int advance(final int value, final int n, final int log2Size)
    {
        final int wrapIndexMask = (2 << log2Size) - 1;
        return (value & OVERFLOW_BIT) | (((value & wrapIndexMask) + n) & wrapIndexMask);
    }

    /**
     * Free slots, as {@code queue_has_space} computes them: equal wraps leave
     * {@code 2^L - (idx(prod) - idx(cons))}, different wraps leave {@code idx(cons) - idx(prod)}.
     *
     * @param prod     producer value.
     * @param cons     consumer value.
     * @param log2Size log2 of the number of entries.
     * @return the number of entries that may be written.
     */
    public static int freeSpace(final int prod, final int cons, final int log2Size)
    {
        final int mask = (1 << log2Size) - 1;
        final int prodIdx = prod & mask;
        final int consIdx = cons & mask;
        if (((prod ^ cons) & (1 << log2Size)) == 0)
        {
            return (1 << log2Size) - (prodIdx - consIdx);
        }
        return consIdx - prodIdx;
    }

    /**
     * @param prod     producer value.
     * @param cons     consumer value.
     * @param n        entries wanted.
     * @param log2Size log2 of the number of entries.
     * @return true when {@code n} entries fit.
     */
    public static boolean hasSpace(final int prod, final int cons, final int n, final int log2Size)
    {
        return freeSpace(prod, cons, log2Size) >= n;
    }

    /**
     * @param prod     producer value.
     * @param cons     consumer value.
     * @param log2Size log2 of the number of entries.
     * @return entries written but not consumed.
     */
    public static int used(final int prod, final int cons, final int log2Size)
    {
        return (1 << log2Size) - freeSpace(prod, cons, log2Size);
    }

    /**
     * @param prod     producer value.
     * @param cons     consumer value.
     * @param log2Size log2 of the number of entries.
     * @return true when equal indices and different wraps: every slot holds an unconsumed entry.
     */
    public static boolean isFull(final int prod, final int cons, final int log2Size)
    {
        return ((prod ^ cons) & ((2 << log2Size) - 1)) == (1 << log2Size);
    }

    /**
     * @param prod     producer value.
     * @param cons     consumer value.
     * @param log2Size log2 of the number of entries.
     * @return true when index and wrap are equal.
     */
    public static boolean isEmpty(final int prod, final int cons, final int log2Size)
    {
        return ((prod ^ cons) & ((2 << log2Size) - 1)) == 0;
    }

    /**
     * "Has the consumer moved past {@code p}", {@code queue_consumed}: same wrap and
     * {@code idx(cons) > idx(p)}, or different wraps and {@code idx(cons) <= idx(p)}. Only valid while
     * the consumer cannot have lapped {@code p} twice, which the callers guarantee (smmuv3-cmdq.md §4.1).
     *
     * @param cons     consumer value.
     * @param p        the position waited for.
     * @param log2Size log2 of the number of entries.
     * @return true when the entry at {@code p} has been consumed.
     */
    public static boolean consumedPast(final int cons, final int p, final int log2Size)
    {
        final int mask = (1 << log2Size) - 1;
        final int consIdx = cons & mask;
        final int pIdx = p & mask;
        if (((cons ^ p) & (1 << log2Size)) == 0)
        {
            return consIdx > pIdx;
        }
        return consIdx <= pIdx;
    }

    /**
     * Entries from {@code from} up to (excluding) {@code to}, modulo {@code 2^(L+1)}.
     *
     * @param from     start value.
     * @param to       end value.
     * @param log2Size log2 of the number of entries.
     * @return {@code to - from} in the IDX+WRAP space.
     */
    public static int distance(final int from, final int to, final int log2Size)
    {
        return (to - from) & ((2 << log2Size) - 1);
    }
}
