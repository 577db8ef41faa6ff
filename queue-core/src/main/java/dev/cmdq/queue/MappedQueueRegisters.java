package dev.cmdq.queue;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Registers as plain off-heap words: the VCMDQ page mapped into a guest, or a host queue's MMIO.
 * Each register sits on its own 128-byte line so the producer's PROD and the device's CONS never
 * false-share (128 covers adjacent-line prefetch).
 *
 * <pre>
 *   offset   0 : PROD     (producer writes, device reads)
 *   offset 128 : CONS     (device writes, producer reads); ERR in bits 30:24
 *   offset 256 : GERROR   (device toggles)
 *   offset 384 : GERRORN  (software acknowledges)
 * </pre>
 *
 * Reads are acquire and writes release, as the interface requires.
 *
 * <p><b>Why raw addresses.</b> Every producer and consumer call touches a register, so the register path is
 * part of the ring's per-entry floor: an access here is one guarded load or store at the block's base
 * address (Agrona's {@link UnsafeApi}), not a buffer view's type check, bounds check and array/offset
 * loads. The offsets are constants inside a block of {@link #LENGTH} bytes whose placement was validated
 * once, so a per-access bounds check could never fail. Safety after {@link #close()} is kept by the guard:
 * the base becomes 0 and every access throws {@link IllegalStateException} instead of touching freed
 * memory.
 *
 * <p><b>Two variants, one code path.</b> Native blocks (every real register block) and on-heap blocks
 * (jcstress states, which cannot allocate native memory per state) are two final subclasses that differ
 * only in {@link #array()}: {@code null} or the byte array. Once a call site's type profile has fixed the
 * receiver class, the JIT folds {@code array()} to a constant, so the native variant pays nothing for the
 * heap one — a field holding the array would cost a load on every access (measured: 0.4 ns per ring entry).
 */
public abstract sealed class MappedQueueRegisters implements QueueRegisters, AutoCloseable
{
    /** Bytes between two registers. */
    public static final int REGISTER_STRIDE = 128;
    /** Byte offset of PROD. */
    public static final int PROD_OFFSET = 0;
    /** Byte offset of CONS. */
    public static final int CONS_OFFSET = REGISTER_STRIDE;
    /** Byte offset of GERROR. */
    public static final int GERROR_OFFSET = 2 * REGISTER_STRIDE;
    /** Byte offset of GERRORN. */
    public static final int GERRORN_OFFSET = 3 * REGISTER_STRIDE;
    /** Bytes one register block occupies. */
    public static final int LENGTH = 4 * REGISTER_STRIDE;

    private final UnsafeBuffer words;
    /** The block's own memory, or null when it views someone else's. */
    private final AlignedSlab slab;
    /** Address of the block (native, or the offset inside the heap array), or 0 once closed. */
    private long base;

    private MappedQueueRegisters(final UnsafeBuffer words, final AlignedSlab slab)
    {
        this.words = words;
        this.slab = slab;
        this.base = words.addressOffset();
    }

    /**
     * Allocates a zeroed register block of its own, freed by {@link #close()}.
     *
     * @return the registers.
     */
    public static MappedQueueRegisters allocate()
    {
        final AlignedSlab slab = AlignedSlab.allocate(LENGTH, REGISTER_STRIDE);
        return new Native(new UnsafeBuffer(slab.address(), LENGTH), slab);
    }

    /**
     * Views a register block inside memory someone else owns (a shared page, a mapped file, or a heap
     * array for a test).
     *
     * @param memory a buffer.
     * @param offset byte offset of the block; the block's address must be 8-byte aligned (atomic
     *               register accesses must not straddle a word).
     * @return the registers; {@link #close()} does not free {@code memory}.
     * @throws IllegalArgumentException naming the offset if the block does not fit or is misaligned.
     */
    public static MappedQueueRegisters wrap(final AtomicBuffer memory, final int offset)
    {
        // "offset > capacity - LENGTH", not "offset + LENGTH > capacity": the sum overflows near MAX_VALUE.
        if (offset < 0 || ((memory.addressOffset() + offset) & 7) != 0 || offset > memory.capacity() - LENGTH)
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " misaligned or block of " + LENGTH + " bytes exceeds capacity " + memory.capacity());
        }
        final UnsafeBuffer view = new UnsafeBuffer(memory, offset, LENGTH);
        final byte[] array = view.byteArray();
        return array == null ? new Native(view, null) : new Heap(view, array);
    }

    /**
     * @return the raw words, for a device model or a test that inspects them.
     */
    public final UnsafeBuffer words()
    {
        return words;
    }

    /**
     * {@inheritDoc}
     */
    public final int getProdAcquire()
    {
        return UnsafeApi.getIntAcquire(array(), address(PROD_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public final void putProdRelease(final int value)
    {
        UnsafeApi.putIntRelease(array(), address(PROD_OFFSET), value);
    }

    /**
     * {@inheritDoc}
     */
    public final int getConsAcquire()
    {
        return UnsafeApi.getIntAcquire(array(), address(CONS_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public final void putConsRelease(final int value)
    {
        UnsafeApi.putIntRelease(array(), address(CONS_OFFSET), value);
    }

    /**
     * {@inheritDoc}
     */
    public final int getGerrorAcquire()
    {
        return UnsafeApi.getIntAcquire(array(), address(GERROR_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public final void putGerrorRelease(final int value)
    {
        UnsafeApi.putIntRelease(array(), address(GERROR_OFFSET), value);
    }

    /**
     * {@inheritDoc}
     */
    public final int getGerrornAcquire()
    {
        return UnsafeApi.getIntAcquire(array(), address(GERRORN_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public final void putGerrornRelease(final int value)
    {
        UnsafeApi.putIntRelease(array(), address(GERRORN_OFFSET), value);
    }

    /**
     * Frees an owned block; a wrapped one is only forgotten. Afterwards every access throws.
     */
    @Override
    public final void close()
    {
        if (words.capacity() == 0)
        {
            return;
        }
        // Collapse the view and the base first so a stray access throws instead of touching freed memory.
        base = 0L;
        words.wrap(0L, 0);
        if (slab != null)
        {
            slab.free();
        }
    }

    /**
     * @return the object the block's address is relative to: null for native memory.
     */
    abstract Object array();

    private long address(final int offset)
    {
        final long b = base;
        if (b == 0L)
        {
            throw closedError();
        }
        return b + offset;
    }

    private static IllegalStateException closedError()
    {
        return new IllegalStateException("queue registers are closed");
    }

    /**
     * A block in native memory: the address is absolute.
     */
    private static final class Native extends MappedQueueRegisters
    {
        Native(final UnsafeBuffer words, final AlignedSlab slab)
        {
            super(words, slab);
        }

        @Override
        Object array()
        {
            return null;
        }
    }

    /**
     * A block inside a heap array: the address is an offset into the array.
     */
    private static final class Heap extends MappedQueueRegisters
    {
        private final byte[] array;

        Heap(final UnsafeBuffer words, final byte[] array)
        {
            super(words, null);
            this.array = array;
        }

        @Override
        Object array()
        {
            return array;
        }
    }
}
