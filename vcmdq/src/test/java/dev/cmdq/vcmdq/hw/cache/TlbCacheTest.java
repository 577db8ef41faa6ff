package dev.cmdq.vcmdq.hw.cache;

import static dev.cmdq.vcmdq.hw.cache.TlbEntryKind.EL2;
import static dev.cmdq.vcmdq.hw.cache.TlbEntryKind.EL2_GLOBAL;
import static dev.cmdq.vcmdq.hw.cache.TlbEntryKind.STAGE1;
import static dev.cmdq.vcmdq.hw.cache.TlbEntryKind.STAGE1_GLOBAL;
import static dev.cmdq.vcmdq.hw.cache.TlbEntryKind.STAGE2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * TlbCache on its own: insert checks with named errors, identical inserts, a full cache that refuses
 * and keeps everything, counts, clear, and the invalidation predicate's parts one at a time (including
 * removal from the middle of the dense array, which moves the last entry).
 */
class TlbCacheTest
{
    @Test
    void insertsAndFindsEntriesExactly()
    {
        final TlbCache tlb = new TlbCache(8);
        assertTrue(tlb.insert(STAGE1, 1, 5, 0x10000L, 12, true));
        assertTrue(tlb.contains(STAGE1, 1, 5, 0x10000L, 12, true));
        assertFalse(tlb.contains(STAGE1, 1, 5, 0x10000L, 12, false), "leaf differs");
        assertFalse(tlb.contains(STAGE1, 1, 6, 0x10000L, 12, true), "asid differs");
        assertFalse(tlb.contains(STAGE1, 2, 5, 0x10000L, 12, true), "vmid differs");
        assertFalse(tlb.contains(STAGE1, 1, 5, 0x10000L, 13, true), "size differs");
        assertFalse(tlb.contains(STAGE1_GLOBAL, 1, 0, 0x10000L, 12, true), "kind differs");
        assertEquals(1, tlb.size());
        assertEquals(8, tlb.capacity());
    }

    @Test
    void identicalInsertIsANoOp()
    {
        final TlbCache tlb = new TlbCache(2);
        assertTrue(tlb.insert(STAGE2, 3, 0, 0x200000L, 21, false));
        assertFalse(tlb.insert(STAGE2, 3, 0, 0x200000L, 21, false));
        assertEquals(1, tlb.size());
    }

    @Test
    void fullCacheRefusesAndKeepsEverything()
    {
        final TlbCache tlb = new TlbCache(2);
        tlb.insert(STAGE1, 1, 1, 0x1000L, 12, true);
        tlb.insert(STAGE1, 1, 1, 0x2000L, 12, true);
        final CacheFullException e = assertThrows(CacheFullException.class,
            () -> tlb.insert(STAGE1, 1, 1, 0x3000L, 12, true));
        assertEquals(2, e.capacity());
        assertTrue(e.getMessage().contains("TLB") && e.getMessage().contains("address=0x3000"), e.getMessage());
        assertEquals(2, tlb.size());
        assertTrue(tlb.contains(STAGE1, 1, 1, 0x1000L, 12, true));
        assertTrue(tlb.contains(STAGE1, 1, 1, 0x2000L, 12, true));
        assertFalse(tlb.insert(STAGE1, 1, 1, 0x2000L, 12, true), "a duplicate of a full cache is still a no-op");
    }

    @Test
    void badArgumentsAreNamed()
    {
        final TlbCache tlb = new TlbCache(4);
        assertMessage("kind=3", () -> tlb.insert(3, 0, 0, 0, 12, true));
        assertMessage("kind=0", () -> tlb.insert(0, 0, 0, 0, 12, true));
        assertMessage("vmid=0x10000", () -> tlb.insert(STAGE1, 0x10000, 0, 0, 12, true));
        assertMessage("vmid=0x1", () -> tlb.insert(EL2, 1, 0, 0, 12, true));
        assertMessage("asid=0xffffffff", () -> tlb.insert(STAGE1, 0, -1, 0, 12, true));
        assertMessage("asid=0x2", () -> tlb.insert(STAGE1_GLOBAL, 1, 2, 0, 12, true));
        assertMessage("asid=0x2", () -> tlb.insert(STAGE2, 1, 2, 0, 12, true));
        assertMessage("sizeLog2=11", () -> tlb.insert(STAGE1, 0, 0, 0, 11, true));
        assertMessage("sizeLog2=64", () -> tlb.insert(STAGE1, 0, 0, 0, 64, true));
        assertMessage("address=0x1000", () -> tlb.insert(STAGE1, 0, 0, 0x1000L, 13, true));
        assertMessage("STAGE2 span", () -> tlb.insert(STAGE2, 1, 0, 1L << 52, 12, true));
        assertMessage("STAGE2 span", () -> tlb.insert(STAGE2, 1, 0, 0, 53, true));
        assertMessage("tlbCapacity=0", () -> new TlbCache(0));
        assertEquals(0, tlb.size(), "nothing was added by a refused insert");
        assertTrue(tlb.insert(STAGE2, 1, 0, (1L << 52) - 0x1000, 12, true), "the last IPA page is fine");
        assertTrue(tlb.insert(STAGE1, 1, 1, 0xFFFF_FFFF_FFFF_F000L, 12, true), "the last VA page is fine");
        assertTrue(tlb.insert(STAGE1, 1, 1, 0x8000_0000_0000_0000L, 63, false), "half the space as one span");
    }

    @Test
    void countsByKindAndVmid()
    {
        final TlbCache tlb = new TlbCache(8);
        tlb.insert(STAGE1, 1, 1, 0x1000L, 12, true);
        tlb.insert(STAGE1_GLOBAL, 1, 0, 0x1000L, 12, true);
        tlb.insert(STAGE2, 1, 0, 0x1000L, 12, true);
        tlb.insert(STAGE1, 2, 1, 0x1000L, 12, true);
        tlb.insert(EL2, 0, 1, 0x1000L, 12, true);
        tlb.insert(EL2_GLOBAL, 0, 0, 0x1000L, 12, true);
        assertEquals(3, tlb.countOfVmid(1));
        assertEquals(1, tlb.countOfVmid(2));
        assertEquals(0, tlb.countOfVmid(0), "EL2 entries belong to no VMID");
        assertEquals(2, tlb.count(STAGE1));
        assertEquals(2, tlb.count(TlbEntryKind.HYP));
        assertEquals(6, tlb.count(TlbEntryKind.ALL));
        tlb.clear();
        assertEquals(0, tlb.size());
        assertEquals(0, tlb.removed());
        assertTrue(tlb.insert(STAGE1, 1, 1, 0x1000L, 12, true), "a cleared slot is reused");
    }

    @Test
    void predicateParts()
    {
        final TlbCache tlb = new TlbCache(8);
        tlb.insert(STAGE1, 1, 1, 0x1000L, 12, true);        // A
        tlb.insert(STAGE1, 1, 2, 0x1000L, 12, true);        // B: other ASID
        tlb.insert(STAGE1_GLOBAL, 1, 0, 0x1000L, 12, true); // C: global
        tlb.insert(STAGE1, 1, 1, 0x0L, 21, false);          // D: walk cache 0..2M
        tlb.insert(STAGE1, 2, 1, 0x1000L, 12, true);        // E: other VMID

        assertEquals(0, tlb.invalidate(STAGE1, 1, 1, 0x2000L, 0x2FFFL, true), "no leaf of ASID 1 at 0x2000");
        assertEquals(1, tlb.invalidate(STAGE1, 1, 1, 0x2000L, 0x2FFFL, false), "D covers 0x2000");
        assertFalse(tlb.contains(STAGE1, 1, 1, 0x0L, 21, false));
        assertEquals(2, tlb.invalidate(TlbEntryKind.NH, 1, 1, 0x1000L, 0x1FFFL, true), "A and the global C");
        assertTrue(tlb.contains(STAGE1, 1, 2, 0x1000L, 12, true));
        assertTrue(tlb.contains(STAGE1, 2, 1, 0x1000L, 12, true));
        assertEquals(2, tlb.size());
        assertEquals(3, tlb.removed());
        assertEquals(2, tlb.invalidate(TlbEntryKind.NH, TlbCache.ANY, TlbCache.ANY, 0, -1L, false));
        assertEquals(0, tlb.size());
        assertEquals(5, tlb.removed());
        assertEquals(4, tlb.removed(STAGE1), "A, B, D, E");
        assertEquals(1, tlb.removed(STAGE1_GLOBAL), "C");
        assertEquals(0, tlb.removed(STAGE2));
        assertEquals(0, tlb.removed(EL2));
        assertEquals(0, tlb.removed(EL2_GLOBAL));
        assertMessage("kind=3", () -> tlb.removed(3));
    }

    @Test
    void removalFromTheMiddleKeepsTheOthers()
    {
        final TlbCache tlb = new TlbCache(16);
        for (int i = 0; i < 16; i++)
        {
            tlb.insert(STAGE1, i % 2, 1, (long)i << 12, 12, true);
        }
        assertEquals(8, tlb.invalidate(STAGE1, 0, TlbCache.ANY, 0, -1L, false));
        for (int i = 0; i < 16; i++)
        {
            assertEquals(i % 2 == 1, tlb.contains(STAGE1, i % 2, 1, (long)i << 12, 12, true), "entry " + i);
        }
        assertEquals(8, tlb.size());
    }

    private static void assertMessage(final String fragment, final org.junit.jupiter.api.function.Executable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' names " + fragment);
    }
}
