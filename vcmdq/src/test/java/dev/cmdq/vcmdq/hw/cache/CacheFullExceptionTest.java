package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The exception names the cache, its capacity and the refused entry.
 */
class CacheFullExceptionTest
{
    @Test
    void messageNamesCacheCapacityAndEntry()
    {
        final CacheFullException e = new CacheFullException("TLB", 8, "STAGE1 vmid=0x1");
        assertEquals("TLB is full (capacity 8): refused STAGE1 vmid=0x1", e.getMessage());
        assertEquals(8, e.capacity());
    }
}
