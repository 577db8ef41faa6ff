package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * AtcCache on its own: insert checks, identical inserts, a full cache, counts per StreamID, and the SSV /
 * SSID / Global rules of the invalidation predicate.
 */
class AtcCacheTest
{
    @Test
    void insertsAndFindsEntriesExactly()
    {
        final AtcCache atc = new AtcCache(4);
        assertTrue(atc.insert(7, 1, 0x1000L, 12));
        assertTrue(atc.contains(7, 1, 0x1000L, 12));
        assertFalse(atc.contains(7, AtcCache.NO_SSID, 0x1000L, 12));
        assertFalse(atc.contains(7, 2, 0x1000L, 12));
        assertFalse(atc.contains(8, 1, 0x1000L, 12));
        assertFalse(atc.contains(7, 1, 0x1000L, 13));
        assertFalse(atc.contains(7, 1, 0x2000L, 12));
        assertFalse(atc.insert(7, 1, 0x1000L, 12), "identical insert");
        assertEquals(1, atc.size());
    }

    @Test
    void fullCacheRefusesAndKeepsEverything()
    {
        final AtcCache atc = new AtcCache(1);
        atc.insert(7, AtcCache.NO_SSID, 0x1000L, 12);
        final CacheFullException e = assertThrows(CacheFullException.class,
            () -> atc.insert(7, AtcCache.NO_SSID, 0x2000L, 12));
        assertTrue(e.getMessage().startsWith("ATC is full (capacity 1)"), e.getMessage());
        assertEquals(1, atc.size());
        assertTrue(atc.contains(7, AtcCache.NO_SSID, 0x1000L, 12));
    }

    @Test
    void badArgumentsAreNamed()
    {
        final AtcCache atc = new AtcCache(4);
        assertMessage("sid=0x100000000", () -> atc.insert(1L << 32, 0, 0, 12));
        assertMessage("sid=0xffffffffffffffff", () -> atc.insert(-1, 0, 0, 12));
        assertMessage("ssid=0x100000", () -> atc.insert(1, 1 << 20, 0, 12));
        assertMessage("ssid=0xfffffffe", () -> atc.insert(1, -2, 0, 12));
        assertMessage("sizeLog2=11", () -> atc.insert(1, 0, 0, 11));
        assertMessage("sizeLog2=64", () -> atc.insert(1, 0, 0, 64));
        assertMessage("address=0x1000", () -> atc.insert(1, 0, 0x1000L, 21));
        assertMessage("atcCapacity=0", () -> new AtcCache(0));
        assertEquals(0, atc.size());
        assertTrue(atc.insert(0xFFFF_FFFFL, AtcCache.MAX_SSID, 0, 63), "widest SID, SSID and span");
    }

    @Test
    void ssvAndSsidRules()
    {
        final AtcCache atc = new AtcCache(8);
        atc.insert(7, AtcCache.NO_SSID, 0x1000L, 12); // N
        atc.insert(7, 1, 0x1000L, 12);                // P1
        atc.insert(7, 2, 0x1000L, 12);                // P2
        atc.insert(8, AtcCache.NO_SSID, 0x1000L, 12); // other SID

        assertEquals(1, atc.invalidate(7, true, 1, 0x1000L, 0x1FFFL), "SSV=1: just SSID 1");
        assertTrue(atc.contains(7, AtcCache.NO_SSID, 0x1000L, 12), "SSV=1 leaves entries without PASID");
        assertTrue(atc.contains(7, 2, 0x1000L, 12));
        assertEquals(0, atc.invalidate(7, true, 3, 0x1000L, 0x1FFFL), "SSID 3 has nothing");
        assertEquals(0, atc.invalidate(7, false, 0, 0x2000L, 0x2FFFL), "outside the span");
        assertEquals(2, atc.invalidate(7, false, 0, 0x0L, -1L), "SSV=0: N and P2 (PASID entries too)");
        assertEquals(1, atc.countOfSid(8));
        assertEquals(0, atc.countOfSid(7));
        assertEquals(3, atc.removed());
        atc.clear();
        assertEquals(0, atc.size());
        assertEquals(3, atc.removed(), "clear is not an invalidation");
    }

    private static void assertMessage(final String fragment, final org.junit.jupiter.api.function.Executable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' names " + fragment);
    }
}
