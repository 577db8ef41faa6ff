package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.lockfree.ValidMap;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repair of a dead producer's claim on a 128-slot ring with its real valid map: the slots are the
 * producers' states written out by hand (which slots hold what, which bits were flipped), and the
 * expectation for every slot is stated slot by slot, not derived from the code under test.
 */
class AbandonedClaimTest
{
    private static final int LOG2 = 7;
    private static final int WRAP = 0x80;

    private final DirectRingMemory memory = DirectRingMemory.allocate(LOG2);
    private final AtomicBuffer ring = memory.buffer();
    private final ValidMap validMap = new ValidMap(new UnsafeBuffer(ByteBuffer.allocateDirect(64)), 0, LOG2);
    private final TestCompletionEntry completion = new TestCompletionEntry();

    @AfterEach
    void tearDown()
    {
        memory.close();
    }

    /** A live producer's claim: entries written, then its valid bits flipped (steps 2 and 3). */
    private void publishEntries(final int start, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int p = (start + i) & (2 * 128 - 1);
            StressEntry.write(ring, (p & 127) << 4, 1000 + (p & 127), 0);
        }
        validMap.publish(start, (start + count) & 0xFF);
    }

    private void assertStressEntry(final int index)
    {
        assertTrue(StressEntry.isIntact(ring, index << 4), "slot " + index + " keeps its published entry");
        assertEquals(1000 + index, StressEntry.sequence(ring, index << 4));
    }

    private void assertNoOp(final int index)
    {
        assertTrue(completion.isCompletion(ring, index << 4), "slot " + index + " holds a completion");
        assertEquals(CompletionEntry.NO_WRITE_BACK, completion.writeBackAddress(ring, index << 4),
            "slot " + index + ": a no-op completion asks for no memory write");
    }

    @Test
    void aClaimThatPublishedNothingIsFilledWhole()
    {
        validMap.reset(0);
        publishEntries(0, 10);
        ring.putLong(10 << 4, 0xDEAD_0000_0000_0001L); // the dead one wrote half of its first entry
        publishEntries(20, 10);                          // a later producer finished its own claim

        assertEquals(10, AbandonedClaim.fill(ring, LOG2, validMap, completion, 10, 20));

        for (int i = 0; i < 10; i++)
        {
            assertStressEntry(i);
        }
        for (int i = 10; i < 20; i++)
        {
            assertNoOp(i);
        }
        for (int i = 20; i < 30; i++)
        {
            assertStressEntry(i);
        }
        for (int i = 0; i < 128; i++)
        {
            assertEquals(i < 30, validMap.isValid(i), "slot " + i + " valid in lap 0");
        }
        assertEquals(30, validMap.firstInvalid(0, 30), "the owner's step 4c now passes the whole gathered range");
    }

    @Test
    void aClaimPublishedInPartKeepsThePublishedWord()
    {
        validMap.reset(0);
        publishEntries(0, 60);
        // Claim [60, 70) crosses the valid-map word boundary at 64; the dead one wrote all ten entries, flipped
        // the first word (slots 60..63), and died before flipping the second.
        for (int i = 60; i < 70; i++)
        {
            StressEntry.write(ring, i << 4, 1000 + i, 0);
        }
        validMap.publish(60, 64);

        assertEquals(6, AbandonedClaim.fill(ring, LOG2, validMap, completion, 60, 70));

        for (int i = 60; i < 64; i++)
        {
            assertStressEntry(i);
        }
        for (int i = 64; i < 70; i++)
        {
            assertNoOp(i);
        }
        for (int i = 0; i < 128; i++)
        {
            assertEquals(i < 70, validMap.isValid(i), "slot " + i);
        }
    }

    @Test
    void aClaimOnAWrappedLapAcrossTheRingEndKeepsTheOncePerLapInvariant()
    {
        // PROD at index 120 of a lap with WRAP set; the dead claim is [WRAP|120, 5): the last 8 slots of
        // this lap and the first 5 of the next (WRAP clear again).
        validMap.reset(WRAP | 120);
        validMap.publish(WRAP | 120, WRAP | 122); // it flipped two of its slots before dying
        StressEntry.write(ring, 120 << 4, 1000 + 120, 0);
        StressEntry.write(ring, 121 << 4, 1000 + 121, 0);

        assertEquals(11, AbandonedClaim.fill(ring, LOG2, validMap, completion, WRAP | 120, 5));

        assertStressEntry(120);
        assertStressEntry(121);
        for (int i = 122; i < 128; i++)
        {
            assertNoOp(i);
            assertTrue(validMap.isValid(WRAP | i), "slot " + i + " valid in the WRAP lap");
        }
        for (int i = 0; i < 5; i++)
        {
            assertNoOp(i);
            assertTrue(validMap.isValid(i), "slot " + i + " valid in the next lap");
        }
        assertFalse(validMap.isValid(5), "nothing past the claim");
        assertEquals(5, validMap.firstInvalid(WRAP | 120, 5));

        // A ring later the same slots are claimed again, in the lap with WRAP clear: one ordinary flip
        // each must make them valid, so the repair left every bit exactly once-per-lap.
        assertFalse(validMap.isValid(120), "slot 120 is not yet valid in the following lap");
        validMap.publish(120, WRAP);
        for (int i = 120; i < 128; i++)
        {
            assertTrue(validMap.isValid(i), "slot " + i + " valid after one flip in the following lap");
        }
    }

    @Test
    void aFullyPublishedClaimIsLeftAlone()
    {
        validMap.reset(0);
        publishEntries(0, 16);
        assertEquals(0, AbandonedClaim.fill(ring, LOG2, validMap, completion, 4, 12));
        for (int i = 0; i < 16; i++)
        {
            assertStressEntry(i);
        }
        assertEquals(16, validMap.firstInvalid(0, 16));
        assertFalse(validMap.isValid(16));
    }

    @Test
    void aRangeThatCannotBeAClaimIsNamed()
    {
        validMap.reset(0);
        final IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
            () -> AbandonedClaim.fill(ring, LOG2, validMap, completion, 7, 7));
        assertTrue(empty.getMessage().contains("start=0x7 end=0x7"), empty.getMessage());
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
            () -> AbandonedClaim.fill(ring, LOG2, validMap, completion, 0, WRAP | 1));
        assertTrue(tooLong.getMessage().contains("not 129"), tooLong.getMessage());
        assertEquals(0, validMap.firstInvalid(0, 1), "nothing flipped by a refused call");
    }
}
