package dev.cmdq.queue.mapped;

import org.agrona.concurrent.AtomicBuffer;

/**
 * What each producer thread holds of a process-shared Linux queue, one 64-bit record word per lease in
 * the ring file, so that a survivor can tell what a dead producer left behind (the window analysis is in
 * the package documentation). Each word is written by its lease's thread alone, with one release store
 * per step, and read by repairers with acquire loads; while a dead producer's record is being repaired,
 * the holder of the recovery lock is its only writer.
 *
 * <pre>
 *   record word (64 bits), 0 = IDLE / NONE:
 *    63           48 47  45 44 41 40  39          20 19           0
 *   +---------------+------+-----+---+--------------+--------------+
 *   |  SEQ (16)     | LOCK | PH  | O |   END (20)   |  START (20)  |
 *   +---------------+------+-----+---+--------------+--------------+
 *
 *   PH   phase of the call:  0 IDLE  1 RESERVING  2 CLAIMED  3 PUBLISHED
 *                            4 GATHERING  5 GATHERED  6 HANDED_OVER
 *   O    owner (RESERVING: the CAS's expected word had OWNED clear)
 *   LOCK cmdq lock:          0 NONE  1 SHARED_LOCKING  2 SHARED_HELD  3 SHARED_UNLOCKING
 *                            4 EXCLUSIVE_TRYING  5 EXCLUSIVE_HELD  6 EXCLUSIVE_UNLOCKING
 *   START, END  positions (index and wrap, 2^19 slots at most):
 *        RESERVING          [prod of the expected word, + k)
 *        CLAIMED..GATHERING the claim [start, end)
 *        GATHERED, HANDED_OVER  [start of the claim, gathered end of the round)
 *   SEQ  incremented by every store: a repairer's double collect sees a record that changed
 * </pre>
 *
 * <p>Why one word: a step is then one store, so a record is never half written, whatever instant its
 * writer dies at. SEQ makes two reads of an unchanged record distinguishable from a record that changed
 * and came back, unless it was stored a multiple of 2^16 times between the two reads of one collect.
 */
final class ClaimRecords
{
    static final int IDLE = 0;
    static final int RESERVING = 1;
    static final int CLAIMED = 2;
    static final int PUBLISHED = 3;
    static final int GATHERING = 4;
    static final int GATHERED = 5;
    static final int HANDED_OVER = 6;

    static final int NONE = 0;
    static final int SHARED_LOCKING = 1;
    static final int SHARED_HELD = 2;
    static final int SHARED_UNLOCKING = 3;
    static final int EXCLUSIVE_TRYING = 4;
    static final int EXCLUSIVE_HELD = 5;
    static final int EXCLUSIVE_UNLOCKING = 6;

    private static final int POSITION_BITS = 20;
    private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
    private static final int END_SHIFT = 20;
    private static final int OWNER_SHIFT = 40;
    private static final int PHASE_SHIFT = 41;
    private static final int LOCK_SHIFT = 45;
    private static final int SEQ_SHIFT = 48;
    private static final long PHASE_MASK = 0xF;
    private static final long LOCK_MASK = 0x7;
    /** Everything but LOCK and SEQ: the claim's part. */
    private static final long CLAIM_MASK = (1L << LOCK_SHIFT) - 1;

    private final AtomicBuffer records;

    /**
     * @param records the file's claim records region.
     */
    ClaimRecords(final AtomicBuffer records)
    {
        this.records = records;
    }

    /**
     * @param lease a lease index.
     * @return its record word, acquire.
     */
    long lv(final int lease)
    {
        return records.getLongAcquire(offset(lease));
    }

    /**
     * Stores a lease's record word with its SEQ advanced, release.
     *
     * @param lease  a lease index.
     * @param record the new word (its SEQ is replaced).
     */
    void so(final int lease, final long record)
    {
        final long seq = (seq(records.getLong(offset(lease))) + 1) & 0xFFFF;
        records.putLongRelease(offset(lease), (record & ((1L << SEQ_SHIFT) - 1)) | (seq << SEQ_SHIFT));
    }

    /**
     * Clears a lease's record to all zero (before the lease is freed or first used).
     *
     * @param lease a lease index.
     */
    void clear(final int lease)
    {
        records.putLongRelease(offset(lease), 0L);
    }

    /**
     * @return a word in phase {@code phase} with the claim fields given and LOCK from {@code record}.
     */
    static long withClaim(final long record, final int phase, final int start, final int end, final boolean owner)
    {
        return (record & ~CLAIM_MASK) | ((long)phase << PHASE_SHIFT) | (owner ? 1L << OWNER_SHIFT : 0) |
            ((end & POSITION_MASK) << END_SHIFT) | (start & POSITION_MASK);
    }

    /**
     * @return {@code record} with its phase replaced, claim fields kept.
     */
    static long withPhase(final long record, final int phase)
    {
        return (record & ~(PHASE_MASK << PHASE_SHIFT)) | ((long)phase << PHASE_SHIFT);
    }

    /**
     * @return {@code record} with its END replaced.
     */
    static long withEnd(final long record, final int end)
    {
        return (record & ~(POSITION_MASK << END_SHIFT)) | ((end & POSITION_MASK) << END_SHIFT);
    }

    /**
     * @return {@code record} with its LOCK replaced.
     */
    static long withLock(final long record, final int lock)
    {
        return (record & ~(LOCK_MASK << LOCK_SHIFT)) | ((long)lock << LOCK_SHIFT);
    }

    static int phase(final long record)
    {
        return (int)((record >>> PHASE_SHIFT) & PHASE_MASK);
    }

    static int lock(final long record)
    {
        return (int)((record >>> LOCK_SHIFT) & LOCK_MASK);
    }

    static boolean owner(final long record)
    {
        return ((record >>> OWNER_SHIFT) & 1) != 0;
    }

    static int start(final long record)
    {
        return (int)(record & POSITION_MASK);
    }

    static int end(final long record)
    {
        return (int)((record >>> END_SHIFT) & POSITION_MASK);
    }

    static int seq(final long record)
    {
        return (int)(record >>> SEQ_SHIFT);
    }

    /**
     * @param record a record word.
     * @return e.g. {@code CLAIMED [0x10, 0x14) owner lock=SHARED_HELD seq=7}.
     */
    static String describe(final long record)
    {
        return PHASES[Math.min(phase(record), PHASES.length - 1)] + " [0x" + Integer.toHexString(start(record)) + ", 0x" +
            Integer.toHexString(end(record)) + ")" + (owner(record) ? " owner" : "") + " lock=" +
            LOCKS[Math.min(lock(record), LOCKS.length - 1)] + " seq=" + seq(record);
    }

    private static final String[] PHASES =
        {"IDLE", "RESERVING", "CLAIMED", "PUBLISHED", "GATHERING", "GATHERED", "HANDED_OVER", "PHASE?"};
    private static final String[] LOCKS =
        {"NONE", "SHARED_LOCKING", "SHARED_HELD", "SHARED_UNLOCKING", "EXCLUSIVE_TRYING", "EXCLUSIVE_HELD",
            "EXCLUSIVE_UNLOCKING", "LOCK?"};

    private static int offset(final int lease)
    {
        return lease * RingFileLayout.CLAIM_RECORD_BYTES;
    }
}
