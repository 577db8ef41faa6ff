package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ConfigCache on its own: STEs and CDs share one pool, inserts are checked, a full pool refuses, and
 * the three removal forms (streams with their CDs, one CD, all CDs of a stream) count STEs and CDs
 * separately.
 */
class ConfigCacheTest
{
    @Test
    void stesAndCdsAreDistinct()
    {
        final ConfigCache config = new ConfigCache(4);
        assertTrue(config.insertSte(9));
        assertTrue(config.insertCd(9, 0));
        assertFalse(config.insertSte(9));
        assertFalse(config.insertCd(9, 0));
        assertTrue(config.containsSte(9));
        assertTrue(config.containsCd(9, 0));
        assertFalse(config.containsCd(9, 1));
        assertFalse(config.containsSte(10));
        assertFalse(config.containsCd(9, -1), "no CD has SSID -1 (the STE's marker)");
        assertEquals(1, config.steCount());
        assertEquals(1, config.cdCount());
        assertEquals(2, config.size());
        assertEquals(2, config.countOfSid(9));
    }

    @Test
    void fullPoolRefusesEitherKind()
    {
        final ConfigCache config = new ConfigCache(2);
        config.insertSte(1);
        config.insertCd(1, 3);
        assertTrue(assertThrows(CacheFullException.class, () -> config.insertSte(2)).getMessage()
            .contains("STE sid=0x2"));
        assertTrue(assertThrows(CacheFullException.class, () -> config.insertCd(2, 4)).getMessage()
            .contains("CD sid=0x2 ssid=0x4"));
        assertEquals(2, config.size());
        assertTrue(config.containsSte(1) && config.containsCd(1, 3));
    }

    @Test
    void badArgumentsAreNamed()
    {
        final ConfigCache config = new ConfigCache(2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config.insertSte(1L << 32)).getMessage()
            .contains("sid=0x100000000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config.insertCd(1, 1 << 20)).getMessage()
            .contains("ssid=0x100000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config.insertCd(1, -1)).getMessage()
            .contains("ssid=0xffffffff"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConfigCache(0)).getMessage()
            .contains("configCapacity=0"));
        assertEquals(0, config.size());
    }

    @Test
    void removalForms()
    {
        final ConfigCache config = new ConfigCache(16);
        for (long sid = 4; sid < 8; sid++)
        {
            config.insertSte(sid);
            config.insertCd(sid, 0);
            config.insertCd(sid, 1);
        }
        assertEquals(1, config.invalidateCd(4, 1));
        assertEquals(0, config.invalidateCd(4, 1));
        assertEquals(2, config.invalidateCds(5), "CDs of 5, not its STE");
        assertTrue(config.containsSte(5));
        assertEquals(3, config.invalidateStreams(4, 5), "STE 4 with CD 4.0, and STE 5");
        assertEquals(3, config.invalidateStreams(6, 6), "STE 6 with its two CDs");
        assertEquals(3, config.size());
        assertTrue(config.containsSte(7) && config.containsCd(7, 0) && config.containsCd(7, 1));
        assertEquals(3, config.removedStes());
        assertEquals(1 + 2 + 1 + 2, config.removedCds());
        config.clear();
        assertEquals(0, config.size());
        assertEquals(3, config.removedStes(), "clear is not an invalidation");
    }

    @Test
    void streamRangeReachesTheTopStreamId()
    {
        final ConfigCache config = new ConfigCache(4);
        config.insertSte(0xFFFF_FFFFL);
        config.insertSte(0);
        assertEquals(1, config.invalidateStreams(0x8000_0000L, 0xFFFF_FFFFL));
        assertTrue(config.containsSte(0));
        assertEquals(1, config.invalidateStreams(0, 0xFFFF_FFFFL));
    }
}
