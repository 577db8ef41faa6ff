package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Unsigned span arithmetic at its edges: neighbours that touch but do not share a byte, spans in the
 * upper half of the address space (negative as signed longs), and ranges that run off the top.
 */
class AddressSpanTest
{
    @Test
    void lastByteOfAlignedSpans()
    {
        assertEquals(0xFFFL, AddressSpan.last(0, 12));
        assertEquals(0x3F_FFFFL, AddressSpan.last(0x20_0000L, 21));
        assertEquals(-1L, AddressSpan.last(0x8000_0000_0000_0000L, 63));
        assertEquals(-1L, AddressSpan.last(0xFFFF_FFFF_FFFF_F000L, 12));
    }

    @Test
    void alignment()
    {
        assertTrue(AddressSpan.isAligned(0x20_0000L, 21));
        assertFalse(AddressSpan.isAligned(0x20_1000L, 21));
        assertTrue(AddressSpan.isAligned(0x8000_0000_0000_0000L, 63));
        assertFalse(AddressSpan.isAligned(0x4000_0000_0000_0000L, 63));
    }

    @Test
    void touchingIsNotIntersecting()
    {
        // [0x1000, 0x1FFF] against ranges ending at 0xFFF and starting at 0x2000.
        assertFalse(AddressSpan.intersects(0x1000, 0x1FFF, 0x0, 0xFFF));
        assertFalse(AddressSpan.intersects(0x1000, 0x1FFF, 0x2000, 0x2FFF));
        assertTrue(AddressSpan.intersects(0x1000, 0x1FFF, 0x0, 0x1000));
        assertTrue(AddressSpan.intersects(0x1000, 0x1FFF, 0x1FFF, 0x2FFF));
        assertTrue(AddressSpan.intersects(0x1000, 0x1FFF, 0x0, -1L));
        assertTrue(AddressSpan.intersects(0x0, 0x3FFF_FFFFL, 0x1000, 0x1FFF), "a range inside the entry");
    }

    @Test
    void upperHalfComparesUnsigned()
    {
        final long high = 0xFFFF_0000_0000_0000L;
        assertFalse(AddressSpan.intersects(high, high + 0xFFF, 0x0, 0x7FFF_FFFF_FFFF_FFFFL), "below 2^63 only");
        assertTrue(AddressSpan.intersects(high, high + 0xFFF, 0x8000_0000_0000_0000L, -1L));
        assertFalse(AddressSpan.intersects(0x1000, 0x1FFF, high, -1L));
    }

    @Test
    void clampedLastStopsAtTheTop()
    {
        assertEquals(0x1FFFL, AddressSpan.clampedLast(0x1000, 0x1000));
        assertEquals(-1L, AddressSpan.clampedLast(0xFFFF_FFFF_FFFF_F000L, 0x1000), "exactly to the top");
        assertEquals(-1L, AddressSpan.clampedLast(0xFFFF_FFFF_FFFF_F000L, 0x2000), "past the top");
        assertEquals(-1L, AddressSpan.clampedLast(0xFFFF_0000_0000_0000L, 1L << 52));
    }
}
