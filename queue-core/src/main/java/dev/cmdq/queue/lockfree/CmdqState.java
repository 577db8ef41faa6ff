package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.QueueIndex;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The shared software state of one command queue ({@code struct arm_smmu_cmdq} without the ring): the
 * packed prod/cons word, {@code owner_prod}, the cmdq lock and the valid map, in one off-heap buffer,
 * each on its own 128-byte line (128 covers adjacent-line prefetch).
 *
 * <pre>
 *   offset   0 : padding
 *   offset 128 : llq        64-bit packed prod/cons ({@link ProdCons})
 *   offset 256 : owner_prod 32-bit, release store / acquire load
 *   offset 384 : lock       32-bit ({@link CmdqLock})
 *   offset 512 : valid_map  2^L / 64 words ({@link ValidMap})
 *   then       : 128 bytes padding
 * </pre>
 *
 * Accessors are named JCTools-style: {@code lv} load volatile, {@code lp} load plain, {@code so} store
 * ordered (release), {@code cae}/{@code cas} compare-and-exchange/-set.
 */
final class CmdqState
{
    static final int LINE = 128;
    static final int PROD_CONS_OFFSET = LINE;
    static final int OWNER_PROD_OFFSET = 2 * LINE;
    static final int LOCK_OFFSET = 3 * LINE;
    static final int VALID_MAP_OFFSET = 4 * LINE;

    private final AtomicBuffer buffer;
    private final CmdqLock lock;
    private final ValidMap validMap;

    /**
     * @param buffer   memory of at least {@link #length(int)} bytes, 8-byte aligned.
     * @param log2Size log2 of the ring's slots.
     */
    CmdqState(final AtomicBuffer buffer, final int log2Size)
    {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        if (buffer.capacity() < length(log2Size))
        {
            throw new IllegalArgumentException("state buffer of " + buffer.capacity() + " bytes is smaller than " +
                length(log2Size) + " for log2Size=" + log2Size);
        }
        this.lock = new CmdqLock(buffer, LOCK_OFFSET);
        this.validMap = new ValidMap(buffer, VALID_MAP_OFFSET, log2Size);
    }

    /**
     * @param log2Size log2 of the ring's slots.
     * @return a zeroed state on fresh, line-aligned off-heap memory. The memory is freed by the garbage
     *         collector once nothing references it, never explicitly: a late caller can then never touch
     *         freed memory.
     */
    static CmdqState allocate(final int log2Size)
    {
        final int length = length(log2Size);
        return new CmdqState(new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, LINE)), log2Size);
    }

    /**
     * @param log2Size log2 of the ring's slots.
     * @return bytes the state occupies.
     */
    static int length(final int log2Size)
    {
        return VALID_MAP_OFFSET + (QueueIndex.capacity(log2Size) >>> 3) + LINE;
    }

    /**
     * Sets the initial state before the queue is shared: llq = {prod, cons}, owner_prod = prod, lock
     * free, valid map consistent with {@code prod}.
     *
     * @param prod initial PROD (index and wrap).
     * @param cons initial CONS (index and wrap).
     */
    void reset(final int prod, final int cons)
    {
        validMap.reset(prod);
        buffer.putIntVolatile(LOCK_OFFSET, 0);
        buffer.putIntVolatile(OWNER_PROD_OFFSET, prod);
        buffer.putLongVolatile(PROD_CONS_OFFSET, ProdCons.pack(prod, cons));
    }

    CmdqLock lock()
    {
        return lock;
    }

    ValidMap validMap()
    {
        return validMap;
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    long lvProdCons()
    {
        return buffer.getLongVolatile(PROD_CONS_OFFSET);
    }

    /**
     * @return the witness: equal to {@code expected} when the swap happened.
     */
    long caeProdCons(final long expected, final long update)
    {
        return buffer.compareAndExchangeLong(PROD_CONS_OFFSET, expected, update);
    }

    boolean casProdCons(final long expected, final long update)
    {
        return buffer.compareAndSetLong(PROD_CONS_OFFSET, expected, update);
    }

    long getAndAddProdCons(final long delta)
    {
        return buffer.getAndAddLong(PROD_CONS_OFFSET, delta);
    }

    /**
     * Moves the cons half forward to {@code cons} with a 64-bit CAS loop (Linux: a plain 32-bit store to
     * the cons half; see the Java note on {@link ProdCons}). A value behind the current software CONS is
     * ignored.
     *
     * <p>Why forward-only (a deviation from Linux): Linux's MSI waiter takes {@code sync_prod + 1} as
     * the CONS it observed, assuming the hardware CONS is already past the sync when the write-back is
     * visible. A device that writes the completion word first and moves CONS later (queue-core's
     * {@code QueueConsumer} does, and publishes CONS once per drain) breaks that assumption: a later
     * exclusive refresh would store the lagging hardware CONS and move the software CONS backwards, after
     * producers had already been granted space from the newer value — then prod and cons are more than a
     * ring apart, the wrap bits alias, {@code queue_has_space} grants slots that still hold unconsumed
     * entries, and entries are overwritten (the stress suite caught exactly this). Both values are real
     * observations of consumption, so keeping the newer one is always safe.
     *
     * @param cons observed CONS (index and wrap).
     * @param log2Size log2 of the ring's slots.
     */
    void advanceCons(final int cons, final int log2Size)
    {
        long word;
        do
        {
            word = lvProdCons();
            final int current = ProdCons.cons(word);
            final int prod = ProdCons.withoutOwned(ProdCons.prod(word));
            if (QueueIndex.distance(current, cons, log2Size) > QueueIndex.distance(current, prod, log2Size))
            {
                return;
            }
        }
        while (!casProdCons(word, ProdCons.withCons(word, cons)));
    }

    /**
     * Replaces the cons half unconditionally (Linux's plain store), for {@link Fault#PLAIN_CONS_STORE}.
     *
     * @param cons new software CONS.
     */
    void storeCons(final int cons)
    {
        long word;
        do
        {
            word = lvProdCons();
        }
        while (!casProdCons(word, ProdCons.withCons(word, cons)));
    }

    int lvOwnerProd()
    {
        return buffer.getIntAcquire(OWNER_PROD_OFFSET);
    }

    void soOwnerProd(final int ownerProd)
    {
        buffer.putIntRelease(OWNER_PROD_OFFSET, ownerProd);
    }
}
