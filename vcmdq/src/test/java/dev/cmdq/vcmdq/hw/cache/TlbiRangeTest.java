package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Range TLBI arithmetic against a table worked out by hand from IHI0070 §4.4.1.1: Address &lt;= A &lt;
 * Address + (NUM+1) * 2^SCALE granules of 2^(2*TG+10) bytes, no wrap at the top; TG = 0 is the one page
 * at ADDR.
 */
class TlbiRangeTest
{
    @ParameterizedTest(name = "addr={0} tg={1} num={2} scale={3} -> {4}..{5}")
    @CsvSource({
        // addr,                 tg, num, scale, first,                last
        "0x10000,                 0,  0,  0,     0x10000,              0x10fff",
        "0x10000,                 0, 31, 31,     0x10000,              0x10fff",    // TG=0: NUM/SCALE ignored
        "0x10000,                 1,  0,  1,     0x10000,              0x11fff",    // 1 x 2 x 4K
        "0x10000,                 1,  1,  0,     0x10000,              0x11fff",    // 2 x 4K
        "0x10000,                 1, 31,  0,     0x10000,              0x2ffff",    // 32 x 4K
        "0x0,                     1, 31, 31,     0x0,                  0xffffffffffff", // 2^36 x 4K = 2^48
        "0x0,                     2,  0,  1,     0x0,                  0x7fff",     // 2 x 16K
        "0x6000,                  2,  0,  1,     0x6000,               0xdfff",     // starts at ADDR exactly
        "0x0,                     2, 31, 31,     0x0,                  0x3ffffffffffff", // 2^50
        "0x30000,                 3,  2,  0,     0x30000,              0x5ffff",    // 3 x 64K
        "0x3f000,                 3,  0,  1,     0x3f000,              0x5efff",    // starts at ADDR exactly
        "0x0,                     3, 31, 31,     0x0,                  0xfffffffffffff", // 2^52, the largest
        "0xfffffffffffff000,      0,  0,  0,     0xfffffffffffff000,   0xffffffffffffffff", // last page
        "0xffff000000000000,      3, 31, 31,     0xffff000000000000,   0xffffffffffffffff", // clamped at the top
        "0xfffffffffff00000,      1,  0,  8,     0xfffffffffff00000,   0xffffffffffffffff", // 256 x 4K: ends exactly at the top
        "0xfffffffffff00000,      1,  0,  9,     0xfffffffffff00000,   0xffffffffffffffff", // 512 x 4K: runs past it, clamped
    })
    void coversTheTabledBytes(
        final String addr, final int tg, final int num, final int scale, final String first, final String last)
    {
        final long expectedFirst = Long.parseUnsignedLong(first.substring(2), 16);
        final long expectedLast = Long.parseUnsignedLong(last.substring(2), 16);
        final long start = Long.parseUnsignedLong(addr.substring(2), 16);
        assertEquals(expectedFirst, start, "the range starts at ADDR (table self-check)");
        assertEquals(expectedLast, TlbiRange.last(start, tg, num, scale), "last");
    }

    @Test
    void granulesAreFourSixteenAndSixtyFourKib()
    {
        assertEquals(12, TlbiRange.granuleLog2(1));
        assertEquals(14, TlbiRange.granuleLog2(2));
        assertEquals(16, TlbiRange.granuleLog2(3));
    }

    @Test
    void tgWithNumScaleTtlAllZeroIsReserved()
    {
        for (int tg = 1; tg <= 3; tg++)
        {
            assertTrue(TlbiRange.isReserved(tg, 0, 0, 0), "tg=" + tg);
            assertFalse(TlbiRange.isReserved(tg, 1, 0, 0));
            assertFalse(TlbiRange.isReserved(tg, 0, 1, 0));
            assertFalse(TlbiRange.isReserved(tg, 0, 0, 2));
            assertFalse(TlbiRange.isReserved(tg, 0, 0, 3));
        }
        assertFalse(TlbiRange.isReserved(0, 0, 0, 0), "TG=0 is the plain single-address form");
    }

    @Test
    void sixteenKibWithTtlOneActsAsTtlZero()
    {
        // IHI0070 §4.4.1.1: with SMMU_IDR5.DS == 0, TG=16K and TTL=1 is treated as TTL=0, so with
        // NUM=SCALE=0 it is the reserved encoding (the spec's own CERROR_ILL example).
        assertEquals(0, TlbiRange.effectiveTtl(2, 1));
        assertTrue(TlbiRange.isReserved(2, 0, 0, 1));
        assertFalse(TlbiRange.isReserved(1, 0, 0, 1), "4K level 1 exists");
        assertFalse(TlbiRange.isReserved(3, 0, 0, 1), "64K level 1 exists");
        assertEquals(1, TlbiRange.effectiveTtl(1, 1));
        assertEquals(2, TlbiRange.effectiveTtl(2, 2));
        assertEquals(3, TlbiRange.effectiveTtl(2, 3));
    }
}
