package dev.cmdq.queue.lockfree;

/**
 * Linux's packed software queue state {@code llq.val}: the producer and consumer indices of one command
 * queue in one 64-bit word, so that a reservation is a single 64-bit compare-and-swap that fails if
 * either moved (smmuv3-cmdq.md §4).
 *
 * <pre>
 *   63                      32 31   30      L+1   L   L-1       0
 *  +--------------------------+-----+---------+----+-----------+
 *  |  CONS  (WRAP | IDX)      |OWNED|    0    |WRAP|    IDX    |
 *  +--------------------------+-----+---------+----+-----------+
 *   \________ cons half _____/ \______________ prod half _____/
 *
 *   prod half : the software PROD, bits [L:0]; bit 31 = OWNED (CMDQ_PROD_OWNED_FLAG, the same bit as
 *               Q_OVERFLOW_FLAG): set while an owner is gathering, the first reserver that finds it
 *               clear becomes the owner
 *   cons half : the software copy of CONS, bits [L:0], refreshed only by the exclusive-lock holder or
 *               the last sync waiter (never carries ERR)
 * </pre>
 *
 * On little-endian Linux prod is the low and cons the high 32 bits; the same here. Every function is a
 * pure static function of its arguments.
 *
 * <p><b>Java note (smmuv3-cmdq.md §4.1).</b> Java defines no atomicity between a 32-bit access and a
 * 64-bit CAS on the same memory, so every update of this word is a 64-bit atomic on the whole word:
 * clearing OWNED is an atomic add of {@link #CLEAR_OWNED} (exact, since the owner knows the bit is set
 * and the add cannot borrow), and replacing the cons half is a 64-bit CAS loop.
 */
public final class ProdCons
{
    /** OWNED in the prod half (bit 31). */
    public static final int OWNED = 0x8000_0000;
    /** Added to the whole word to clear a set OWNED bit: no borrow leaves bit 31. */
    public static final long CLEAR_OWNED = -0x8000_0000L;

    private ProdCons()
    {
    }

    /**
     * @param prod prod half (index, wrap, OWNED).
     * @param cons cons half (index, wrap).
     * @return the packed word.
     */
    public static long pack(final int prod, final int cons)
    {
        return ((long)cons << 32) | (prod & 0xFFFF_FFFFL);
    }

    /**
     * @param word a packed word.
     * @return its prod half, OWNED included.
     */
    public static int prod(final long word)
    {
        return (int)word;
    }

    /**
     * @param word a packed word.
     * @return its cons half.
     */
    public static int cons(final long word)
    {
        return (int)(word >>> 32);
    }

    /**
     * @param word a packed word.
     * @param prod a new prod half.
     * @return the word with its prod half replaced.
     */
    public static long withProd(final long word, final int prod)
    {
        return (word & 0xFFFF_FFFF_0000_0000L) | (prod & 0xFFFF_FFFFL);
    }

    /**
     * @param word a packed word.
     * @param cons a new cons half.
     * @return the word with its cons half replaced.
     */
    public static long withCons(final long word, final int cons)
    {
        return ((long)cons << 32) | (word & 0xFFFF_FFFFL);
    }

    /**
     * @param prod a prod half.
     * @return true when OWNED is set.
     */
    public static boolean isOwned(final int prod)
    {
        return (prod & OWNED) != 0;
    }

    /**
     * @param prod a prod half.
     * @return index and wrap without OWNED.
     */
    public static int withoutOwned(final int prod)
    {
        return prod & ~OWNED;
    }

    /**
     * @param word a packed word.
     * @return a readable form, e.g. {@code prod=0x105|OWNED cons=0xf0}.
     */
    public static String toString(final long word)
    {
        final int prod = prod(word);
        return "prod=0x" + Integer.toHexString(withoutOwned(prod)) + (isOwned(prod) ? "|OWNED" : "") +
            " cons=0x" + Integer.toHexString(cons(word));
    }
}
