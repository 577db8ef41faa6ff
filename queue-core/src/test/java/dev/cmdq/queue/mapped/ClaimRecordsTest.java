package dev.cmdq.queue.mapped;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record word's layout, with expected words typed from the diagram in {@link ClaimRecords}, and the
 * SEQ advance of every store.
 */
class ClaimRecordsTest
{
    private final UnsafeBuffer region = new UnsafeBuffer(ByteBuffer.allocateDirect(RingFileLayout.CLAIM_RECORDS_BYTES));
    private final ClaimRecords records = new ClaimRecords(region);

    @Test
    void fieldsSitWhereTheDiagramSays()
    {
        // CLAIMED (2) at bits 44..41, owner bit 40, END 0x1F0 at 39..20, START 0x1E0 at 19..0, LOCK SHARED_HELD (2) at 47..45.
        final long claimed = ClaimRecords.withLock(ClaimRecords.withClaim(0L, ClaimRecords.CLAIMED, 0x1E0, 0x1F0, true),
            ClaimRecords.SHARED_HELD);
        assertEquals((2L << 45) | (2L << 41) | (1L << 40) | (0x1F0L << 20) | 0x1E0L, claimed);
        assertEquals(ClaimRecords.CLAIMED, ClaimRecords.phase(claimed));
        assertEquals(ClaimRecords.SHARED_HELD, ClaimRecords.lock(claimed));
        assertTrue(ClaimRecords.owner(claimed));
        assertEquals(0x1E0, ClaimRecords.start(claimed));
        assertEquals(0x1F0, ClaimRecords.end(claimed));

        // Largest positions (2^19 slots: index and wrap in 20 bits) and the largest phase and lock codes.
        final long edge = ClaimRecords.withLock(ClaimRecords.withClaim(0L, ClaimRecords.HANDED_OVER, 0xFFFFF, 0xFFFFF, false),
            ClaimRecords.EXCLUSIVE_UNLOCKING);
        assertEquals((6L << 45) | (6L << 41) | (0xFFFFFL << 20) | 0xFFFFFL, edge);
    }

    @Test
    void replacingOneFieldKeepsTheOthers()
    {
        final long reserving = ClaimRecords.withClaim(ClaimRecords.withLock(0L, ClaimRecords.SHARED_LOCKING),
            ClaimRecords.RESERVING, 0x10, 0x15, true);
        final long gathered = ClaimRecords.withEnd(ClaimRecords.withPhase(reserving, ClaimRecords.GATHERED), 0x40);
        assertEquals((1L << 45) | (5L << 41) | (1L << 40) | (0x40L << 20) | 0x10L, gathered);
        final long unlocked = ClaimRecords.withLock(gathered, ClaimRecords.NONE);
        assertEquals((5L << 41) | (1L << 40) | (0x40L << 20) | 0x10L, unlocked);
        final long idle = ClaimRecords.withClaim(unlocked, ClaimRecords.IDLE, 0, 0, false);
        assertEquals(0L, idle, "IDLE with no lock is the all-zero word of a free lease");
        assertFalse(ClaimRecords.owner(idle));
    }

    @Test
    void everyStoreAdvancesSeqAndLandsOnItsLeasesLine()
    {
        final long word = ClaimRecords.withClaim(0L, ClaimRecords.PUBLISHED, 3, 9, false);
        records.so(5, word);
        records.so(5, word);
        records.so(5, word | (0xABCDL << 48)); // a SEQ in the argument is replaced, not kept
        assertEquals((3L << 48) | word, region.getLong(5 * 64), "lease 5 at byte 320, SEQ = 3 after three stores");
        assertEquals(3, ClaimRecords.seq(records.lv(5)));
        assertEquals(0L, region.getLong(4 * 64));
        assertEquals(0L, region.getLong(6 * 64));
        records.clear(5);
        assertEquals(0L, records.lv(5));

        region.putLong(7 * 64, 0xFFFFL << 48);
        records.so(7, word);
        assertEquals(word, records.lv(7), "SEQ wraps from 0xFFFF to 0");
    }

    @Test
    void describeNamesPhaseRangeOwnerAndLock()
    {
        final long word = ClaimRecords.withLock(ClaimRecords.withClaim(0L, ClaimRecords.CLAIMED, 0x10, 0x14, true),
            ClaimRecords.SHARED_HELD);
        assertEquals("CLAIMED [0x10, 0x14) owner lock=SHARED_HELD seq=0", ClaimRecords.describe(word));
    }
}
