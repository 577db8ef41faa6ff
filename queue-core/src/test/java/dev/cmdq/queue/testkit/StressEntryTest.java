package dev.cmdq.queue.testkit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StressEntryTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void fieldsRoundTrip()
    {
        StressEntry.write(buffer, 16, StressEntry.MAX_SEQUENCE, 0xAB);
        assertTrue(StressEntry.isIntact(buffer, 16));
        assertTrue(StressEntry.isStressEntry(buffer, 16));
        assertEquals(StressEntry.MAX_SEQUENCE, StressEntry.sequence(buffer, 16));
        assertEquals(0xAB, StressEntry.flags(buffer, 16));
        assertEquals(StressEntry.KIND, buffer.getByte(16) & 0xFF, "KIND in dword0 bits 7:0 (little-endian byte 0)");
    }

    @Test
    void aTornEntryFailsTheChecksum()
    {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++)
        {
            final long a = random.nextLong(StressEntry.MAX_SEQUENCE);
            final long b = a + 1 + random.nextInt(1 << 20);
            StressEntry.write(buffer, 0, a, 0);
            StressEntry.write(buffer, 16, b, 0);
            // dword0 of the newer entry with dword1 of the older one, and the other way round.
            buffer.putLong(32, buffer.getLong(16));
            buffer.putLong(40, buffer.getLong(8));
            buffer.putLong(48, buffer.getLong(0));
            buffer.putLong(56, buffer.getLong(24));
            assertFalse(StressEntry.isIntact(buffer, 32));
            assertFalse(StressEntry.isIntact(buffer, 48));
        }
    }

    @Test
    void zeroedOrForeignSlotsAreNotStressEntries()
    {
        buffer.setMemory(0, 64, (byte)0);
        assertFalse(StressEntry.isIntact(buffer, 0));
        new TestCompletionEntry().write(buffer, 0, -1);
        assertFalse(StressEntry.isStressEntry(buffer, 0));
        assertFalse(StressEntry.isIntact(buffer, 0));
    }
}
