package dev.cmdq.queue.lockfree;

/**
 * Where a {@link LinuxCmdqIssuer} says, step by step, what it holds of the shared queue state, so that
 * a survivor can finish the work of a caller that died (smmuv3-cmdq.md §4.2; the process-shared journal
 * is {@code dev.cmdq.queue.mapped}'s). Each method is called on the issuing thread <em>at</em> a named
 * point of the algorithm: a method named for an atomic step in the future tense ({@code reserving},
 * {@code gathering}, {@code sharedLocking}, ...) runs just before it, one in the past tense just after
 * it, so a journal that stores each call with release semantics leaves a record whose ambiguity is
 * exactly one atomic instruction.
 *
 * <pre>
 *   begin ─ reserving* ─ claimed ─ [sharedLocking ─ sharedLocked] ─ published
 *         ─ [gathering ─ gathered ─ handedOver]                      (owner only)
 *         ─ [sharedUnlocking ─ sharedUnlocked]                       (sync only)
 *         ─ end
 *   reserving may be preceded by rounds of
 *           exclusiveTrying ─ exclusiveLocked(taken) [─ exclusiveUnlocking ─ exclusiveUnlocked]
 * </pre>
 *
 * <p>Calls that return early (a typed error) may skip {@link #end(int)}; the next {@link #begin()} of
 * the same thread overwrites the record. Repairing dead callers is not the journal's call from here: a
 * process-shared issuer does it from the idle strategy of its {@code WaitPolicy}, through which every
 * wait of the issuer backs off.
 *
 * <p>An implementation must not allocate after a thread's first {@link #begin()} and must not block:
 * these calls sit on the hot path. {@link #NONE} records nothing and is what the in-process issuer uses.
 */
public interface ClaimJournal
{
    /** Records nothing, repairs nothing. */
    ClaimJournal NONE = new ClaimJournal()
    {
    };

    /**
     * A call starts.
     *
     * @return a handle the issuer passes to the other methods of this call (e.g. the thread's record).
     */
    default int begin()
    {
        return 0;
    }

    /**
     * Just before a reserving CAS from {@code snapshot} for {@code k} slots.
     *
     * @param handle   from {@link #begin()}.
     * @param snapshot the packed word the CAS expects ({@link ProdCons}).
     * @param k        slots the CAS reserves.
     */
    default void reserving(final int handle, final long snapshot, final int k)
    {
    }

    /**
     * Just after the reserving CAS succeeded.
     *
     * @param handle from {@link #begin()}.
     * @param start  first reserved slot (index and wrap).
     * @param end    one past the last.
     * @param owner  whether this caller is the owner of the round.
     */
    default void claimed(final int handle, final int start, final int end, final boolean owner)
    {
    }

    /**
     * Just before the increment that takes the cmdq lock shared.
     *
     * @param handle from {@link #begin()}.
     */
    default void sharedLocking(final int handle)
    {
    }

    /**
     * Just after taking the lock shared returned.
     *
     * @param handle from {@link #begin()}.
     * @param held   false when the wait ran out and the increment was withdrawn.
     */
    default void sharedLocked(final int handle, final boolean held)
    {
    }

    /**
     * Just after the caller's valid bits flipped.
     *
     * @param handle from {@link #begin()}.
     */
    default void published(final int handle)
    {
    }

    /**
     * The owner, after {@code owner_prod} reached its start, just before clearing OWNED (step 4b).
     *
     * @param handle from {@link #begin()}.
     */
    default void gathering(final int handle)
    {
    }

    /**
     * Just after clearing OWNED.
     *
     * @param handle      from {@link #begin()}.
     * @param gatheredEnd one past the last slot of the round.
     */
    default void gathered(final int handle, final int gatheredEnd)
    {
    }

    /**
     * Just after the owner wrote PROD and {@code owner_prod} (steps 4d and 4e).
     *
     * @param handle from {@link #begin()}.
     */
    default void handedOver(final int handle)
    {
    }

    /**
     * Just before the decrement (or the try-unlock) that drops the shared hold.
     *
     * @param handle from {@link #begin()}.
     */
    default void sharedUnlocking(final int handle)
    {
    }

    /**
     * Just after the shared hold was dropped.
     *
     * @param handle from {@link #begin()}.
     */
    default void sharedUnlocked(final int handle)
    {
    }

    /**
     * Just before the CAS {@code 0 -> INT_MIN} that takes the lock exclusively.
     *
     * @param handle from {@link #begin()}.
     */
    default void exclusiveTrying(final int handle)
    {
    }

    /**
     * Just after that CAS.
     *
     * @param handle from {@link #begin()}.
     * @param taken  whether it succeeded.
     */
    default void exclusiveLocked(final int handle, final boolean taken)
    {
    }

    /**
     * Just before the exclusive unlock.
     *
     * @param handle from {@link #begin()}.
     */
    default void exclusiveUnlocking(final int handle)
    {
    }

    /**
     * Just after the exclusive unlock.
     *
     * @param handle from {@link #begin()}.
     */
    default void exclusiveUnlocked(final int handle)
    {
    }

    /**
     * The call holds nothing any more.
     *
     * @param handle from {@link #begin()}.
     */
    default void end(final int handle)
    {
    }
}
