package dev.cmdq.vcmdq.hw.cache;

/**
 * The address range of a TLBI that has an address (NH_VA, NH_VAA, EL2_VA, EL2_VAA, S2_IPA), from its
 * TG, NUM, SCALE and ADDR fields (smmuv3-cmdq.md §2.2, IHI0070 §4.4):
 *
 * <pre>
 *   TG = 0      not a range: the one address ADDR; an entry is hit when its span contains ADDR
 *               (NUM and SCALE are ignored). As a range: [ADDR, ADDR + 4 KiB - 1], which every
 *               4 KiB-aligned entry span meets exactly when it contains ADDR.
 *   TG = 1,2,3  granule 2^g bytes, g = 2*TG + 10 (4 KiB, 16 KiB, 64 KiB);
 *               first = ADDR aligned down to the granule,
 *               length = (NUM + 1) * 2^SCALE granules = (NUM + 1) << (SCALE + g) bytes (at most 2^52),
 *               last = first + length - 1, clamped to 2^64 - 1.
 *   reserved    TG != 0 with NUM = SCALE = TTL = 0 (linux-unmap-sequences.md §3.2): no range at all.
 * </pre>
 *
 * Aligning ADDR down to the granule treats address bits below the granule as ignored; Linux never sets
 * them (its range addresses are multiples of the domain's smallest page), and the architecture text
 * that would confirm it was not read here.
 */
final class TlbiRange
{
    /** Bytes covered by a single-address (TG = 0) invalidation when treated as a range. */
    static final long SINGLE_ADDRESS_BYTES = 1L << AddressSpan.MIN_SIZE_LOG2;

    private TlbiRange()
    {
    }

    /**
     * @param tg    TG field, 0..3.
     * @param num   NUM field.
     * @param scale SCALE field.
     * @param ttl   TTL field.
     * @return true for the reserved encoding TG != 0 with NUM = SCALE = TTL = 0.
     */
    static boolean isReserved(final int tg, final int num, final int scale, final int ttl)
    {
        return tg != 0 && num == 0 && scale == 0 && ttl == 0;
    }

    /**
     * @param tg TG field, 1..3.
     * @return log2 of the range granule in bytes: 12, 14 or 16.
     */
    static int granuleLog2(final int tg)
    {
        return 2 * tg + 10;
    }

    /**
     * @param addr ADDR in place (bits below 12 zero).
     * @param tg   TG field, 0..3.
     * @return the range's first byte.
     */
    static long first(final long addr, final int tg)
    {
        return tg == 0 ? addr : addr & -(1L << granuleLog2(tg));
    }

    /**
     * @param first the range's first byte, from {@link #first}.
     * @param tg    TG field, 0..3.
     * @param num   NUM field, 0..31.
     * @param scale SCALE field, 0..31.
     * @return the range's last byte (inclusive), clamped to 2^64 - 1.
     */
    static long last(final long first, final int tg, final int num, final int scale)
    {
        if (tg == 0)
        {
            return AddressSpan.clampedLast(first, SINGLE_ADDRESS_BYTES);
        }
        // (num + 1) <= 32 and scale + g <= 47, so the length is at most 2^52: no overflow.
        final long length = (long)(num + 1) << (scale + granuleLog2(tg));
        return AddressSpan.clampedLast(first, length);
    }
}
