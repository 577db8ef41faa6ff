package dev.cmdq.queue;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The slab behind a ring: {@code 2^log2Size × 16} bytes of off-heap memory, always viewed through one
 * Agrona {@link AtomicBuffer} so the hot path has a single memory type whatever the provider
 * (direct, external such as a VMM's guest RAM, or a memory-mapped file).
 *
 * <pre>
 *  address()                                                  address() + capacity()*16
 *  |  slot 0 (16 B)  |  slot 1  |  ...  |  slot 2^L - 1  |
 *  |dword0 |dword1   |                                   |     dwords little-endian
 * </pre>
 *
 * <p>Lifetime: every component that touches the memory (producer, consumer, agent) {@link #retain()}s
 * it and {@link #release()}s it when it stops; {@link #close()} is refused while any holder remains,
 * and afterwards {@link #buffer()} has length 0 so a stray access throws instead of touching freed
 * memory.
 */
public interface RingMemory extends AutoCloseable
{
    /** Bytes per command queue entry (CMDQ_ENT_DWORDS = 2). */
    int ENTRY_BYTES = 16;
    /** log2 of {@link #ENTRY_BYTES}. */
    int ENTRY_SHIFT = 4;

    /**
     * @return log2 of the number of entries.
     */
    int log2Size();

    /**
     * @return the number of entries, {@code 2^log2Size()}.
     */
    int capacity();

    /**
     * @return the view of the whole slab; slot {@code i} is at byte offset {@code i << ENTRY_SHIFT}.
     *         Length 0 once closed. Declared as Agrona's concrete {@link UnsafeBuffer} (an
     *         {@link AtomicBuffer}): a hot loop holding it in a field of that type calls its accessors
     *         without a type check per entry.
     */
    UnsafeBuffer buffer();

    /**
     * @return the address of slot 0 as the device sees it (native address for direct memory, the
     *         guest-physical base for guest memory); a completion write-back names addresses in this
     *         space.
     */
    long deviceAddress();

    /**
     * Registers one more component using this memory.
     *
     * @throws IllegalStateException if already closed.
     */
    void retain();

    /**
     * Unregisters a component registered by {@link #retain()}.
     */
    void release();

    /**
     * @return true once {@link #close()} has completed.
     */
    boolean isClosed();

    /**
     * Frees (or, for external memory, forgets) the slab. Idempotent.
     *
     * @throws IllegalStateException naming the number of holders if any component still retains it.
     */
    @Override
    void close();
}
