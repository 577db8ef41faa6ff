package dev.cmdq.vcmdq.hw.cache;

/**
 * The address range of a TLBI that has an address (NH_VA, NH_VAA, EL2_VA, EL2_VAA, S2_IPA), from its
 * TG, NUM, SCALE, TTL and ADDR fields (IHI0070 §4.4.1.1; smmuv3-cmdq.md §2.2):
 *
 * <pre>
 *   TG = 0      not a range: the one address ADDR; an entry is hit when its span contains ADDR
 *               (NUM, SCALE, TTL are RES0 and ignored). As a range: [ADDR, ADDR + 4 KiB - 1], which
 *               every 4 KiB-aligned entry span meets exactly when it contains ADDR.
 *   TG = 1,2,3  granule 2^g bytes, g = 2*TG + 10 (4 KiB, 16 KiB, 64 KiB);
 *               "Address &lt;= A &lt; Address + Range", Range = (NUM + 1) * 2^SCALE granules
 *               = (NUM + 1) &lt;&lt; (SCALE + g) bytes (at most 2^52 with 5-bit SCALE);
 *               a range running past 2^64 - 1 does not wrap: it is clamped there.
 *   reserved    TG != 0 with NUM = SCALE = 0 and effective TTL = 0 raises CERROR_ILL; with 16 KiB
 *               (TG = 2) TTL = 1 is reserved when SMMU_IDR5.DS == 0 and treated as TTL = 0, so
 *               TG = 2, NUM = SCALE = 0, TTL = 1 is refused too (the spec's own example).
 * </pre>
 *
 * The range starts at ADDR exactly, as the formula says. ADDR bits below the granule (or below the
 * level TTL names) make the invalidated range UNPREDICTABLE in the architecture; Linux never sets them.
 * The model assumes SMMU_IDR5.DS == 0 (no 52-bit 4K/16K addressing, 5-bit SCALE).
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
     * @return true for the reserved encoding: TG != 0 with NUM = SCALE = 0 and effective TTL = 0.
     */
    static boolean isReserved(final int tg, final int num, final int scale, final int ttl)
    {
        return tg != 0 && num == 0 && scale == 0 && effectiveTtl(tg, ttl) == 0;
    }

    /**
     * @param tg  TG field, 0..3.
     * @param ttl TTL field, 0..3.
     * @return the TTL the SMMU acts on: TTL = 1 with a 16 KiB granule is reserved (SMMU_IDR5.DS == 0,
     *         no level-1 16 KiB blocks) and treated as 0.
     */
    static int effectiveTtl(final int tg, final int ttl)
    {
        return tg == 2 && ttl == 1 ? 0 : ttl;
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
     * @param first the range's first byte: ADDR in place (bits below 12 zero).
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
