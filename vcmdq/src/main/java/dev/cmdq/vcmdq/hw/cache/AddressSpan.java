package dev.cmdq.vcmdq.hw.cache;

/**
 * Unsigned 64-bit address spans as (first, last) pairs with an inclusive last byte, so a span may end at
 * the very top of the address space (2^64 - 1) without overflowing. Cached entries are naturally aligned
 * power-of-two spans ({@code first}, {@code sizeLog2}); invalidations are arbitrary inclusive ranges.
 *
 * <pre>
 *   entry   [first ........................ first + 2^sizeLog2 - 1]
 *   range          [rangeFirst ..... rangeLast]        hit when they share at least one byte
 * </pre>
 */
final class AddressSpan
{
    /** Smallest span: one 4 KiB page (the architecture's smallest granule). */
    static final int MIN_SIZE_LOG2 = 12;
    /** Largest span of one cached entry. */
    static final int MAX_SIZE_LOG2 = 63;
    /** The last byte of the address space, as an inclusive range end. */
    static final long TOP = -1L;

    private AddressSpan()
    {
    }

    /**
     * @param first    first byte of an aligned span.
     * @param sizeLog2 log2 of its size in bytes, {@value #MIN_SIZE_LOG2}..{@value #MAX_SIZE_LOG2}.
     * @return its last byte.
     */
    static long last(final long first, final int sizeLog2)
    {
        return first + ((1L << sizeLog2) - 1);
    }

    /**
     * @param first    first byte of a candidate span.
     * @param sizeLog2 log2 of its size.
     * @return true when {@code first} is a multiple of {@code 2^sizeLog2}.
     */
    static boolean isAligned(final long first, final int sizeLog2)
    {
        return (first & ((1L << sizeLog2) - 1)) == 0;
    }

    /**
     * @param first      entry's first byte.
     * @param last       entry's last byte.
     * @param rangeFirst range's first byte.
     * @param rangeLast  range's last byte (inclusive).
     * @return true when the two share at least one byte (unsigned comparison throughout).
     */
    static boolean intersects(final long first, final long last, final long rangeFirst, final long rangeLast)
    {
        return Long.compareUnsigned(first, rangeLast) <= 0 && Long.compareUnsigned(last, rangeFirst) >= 0;
    }

    /**
     * @param first  first byte of a range.
     * @param length its length in bytes, 1..2^63 (as an unsigned value, 2^63 reads negative).
     * @return the range's last byte, or {@link #TOP} when the range runs past the end of the address
     *         space (the part beyond 2^64 - 1 addresses nothing, so clamping loses nothing).
     */
    static long clampedLast(final long first, final long length)
    {
        final long last = first + (length - 1);
        return Long.compareUnsigned(last, first) < 0 ? TOP : last;
    }
}
