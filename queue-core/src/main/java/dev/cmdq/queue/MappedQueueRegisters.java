package dev.cmdq.queue;

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
 */
public final class MappedQueueRegisters implements QueueRegisters, AutoCloseable
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

    private final AtomicBuffer words;
    /** The block's own memory, or null when it views someone else's. */
    private final AlignedSlab slab;

    private MappedQueueRegisters(final AtomicBuffer words, final AlignedSlab slab)
    {
        this.words = words;
        this.slab = slab;
    }

    /**
     * Allocates a zeroed register block of its own, freed by {@link #close()}.
     *
     * @return the registers.
     */
    public static MappedQueueRegisters allocate()
    {
        final AlignedSlab slab = AlignedSlab.allocate(LENGTH, REGISTER_STRIDE);
        return new MappedQueueRegisters(new UnsafeBuffer(slab.address(), LENGTH), slab);
    }

    /**
     * Views a register block inside memory someone else owns (a shared page, a mapped file).
     *
     * @param memory an off-heap buffer.
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
        return new MappedQueueRegisters(new UnsafeBuffer(memory, offset, LENGTH), null);
    }

    /**
     * @return the raw words, for a device model or a test that inspects them.
     */
    public AtomicBuffer words()
    {
        return words;
    }

    /**
     * {@inheritDoc}
     */
    public int getProdAcquire()
    {
        return words.getIntAcquire(PROD_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public void putProdRelease(final int value)
    {
        words.putIntRelease(PROD_OFFSET, value);
    }

    /**
     * {@inheritDoc}
     */
    public int getConsAcquire()
    {
        return words.getIntAcquire(CONS_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public void putConsRelease(final int value)
    {
        words.putIntRelease(CONS_OFFSET, value);
    }

    /**
     * {@inheritDoc}
     */
    public int getGerrorAcquire()
    {
        return words.getIntAcquire(GERROR_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public void putGerrorRelease(final int value)
    {
        words.putIntRelease(GERROR_OFFSET, value);
    }

    /**
     * {@inheritDoc}
     */
    public int getGerrornAcquire()
    {
        return words.getIntAcquire(GERRORN_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public void putGerrornRelease(final int value)
    {
        words.putIntRelease(GERRORN_OFFSET, value);
    }

    /**
     * Frees an owned block; a wrapped one is only forgotten. Afterwards every access throws.
     */
    @Override
    public void close()
    {
        if (words.capacity() == 0)
        {
            return;
        }
        // Collapse the view first so a stray access fails a bounds check instead of touching freed memory.
        words.wrap(0L, 0);
        if (slab != null)
        {
            slab.free();
        }
    }
}
