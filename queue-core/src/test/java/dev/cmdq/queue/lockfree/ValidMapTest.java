package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.QueueIndex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The valid map against a model that counts, per absolute position, whether that position's entry was
 * published — over many laps, with ranges of 1..65 slots reserved in order but published in random order
 * (as concurrent callers finish), and ranges that cross the end of the ring.
 */
class ValidMapTest
{
    private static ValidMap map(final int log2Size)
    {
        return new ValidMap(new UnsafeBuffer(ByteBuffer.allocateDirect(ValidMap.bytes(log2Size) + 8)), 8, log2Size);
    }

    @Test
    void refusesRingsThatAreNotAMultipleOf64()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ValidMap(buffer, 0, 5));
        assertTrue(e.getMessage().contains("log2Size=5"), e.getMessage());
        final IllegalArgumentException o = assertThrows(IllegalArgumentException.class, () -> new ValidMap(buffer, 4, 6));
        assertTrue(o.getMessage().contains("offset=4"), o.getMessage());
    }

    @Test
    void masksCoverExactlyTheirBits()
    {
        assertEquals(-1L, ValidMap.mask(0, 64));
        assertEquals(0x8000_0000_0000_0000L, ValidMap.mask(63, 64));
        assertEquals(0b1110L, ValidMap.mask(1, 4));
        assertEquals(1L, ValidMap.mask(0, 1));
    }

    @Test
    void zeroMapIsInvalidForLapZeroAndBitOneMeansValidThere()
    {
        final ValidMap map = map(6);
        for (int slot = 0; slot < 64; slot++)
        {
            assertFalse(map.isValid(slot));
        }
        map.publish(3, 5);
        assertEquals(0b11000L, map.lvWord(0), "lap with WRAP=0: published bits become 1");
        assertTrue(map.isValid(3));
        assertTrue(map.isValid(4));
        assertFalse(map.isValid(5));
        assertEquals(0, map.firstInvalid(0, 8), "slots 0..2 are not valid");
        assertEquals(5, map.firstInvalid(3, 5), "3..4 are");
        assertEquals(3, map.firstInvalid(3, 8), "checked per word-sized chunk: 5..7 are not");
    }

    @ParameterizedTest(name = "log2Size={0}")
    @ValueSource(ints = {6, 7, 8})
    void publishedRangesBecomeValidOverManyLapsInAnyCompletionOrder(final int log2Size)
    {
        final int capacity = 1 << log2Size;
        final ValidMap map = map(log2Size);
        final Random random = new Random(log2Size);
        long next = 0;
        for (int round = 0; round < 400; round++)
        {
            // Reserve ranges in order up to one ring ahead of everything published, then publish them in a
            // random order, checking the map against the model after each.
            final long roundStart = next;
            final List<long[]> ranges = new ArrayList<>();
            while (true)
            {
                final int k = 1 + random.nextInt(65);
                if (next + k - roundStart > capacity)
                {
                    break;
                }
                ranges.add(new long[] {next, next + k});
                next += k;
            }
            final boolean[] published = new boolean[(int)(next - roundStart)];
            Collections.shuffle(ranges, random);
            for (final long[] r : ranges)
            {
                map.publish(position(r[0], log2Size), position(r[1], log2Size));
                for (long p = r[0]; p < r[1]; p++)
                {
                    published[(int)(p - roundStart)] = true;
                }
                for (long p = roundStart; p < next; p++)
                {
                    assertEquals(published[(int)(p - roundStart)], map.isValid(position(p, log2Size)), "position " + p);
                }
                assertEquals(position(modelFirstInvalid(published, roundStart, roundStart, next), log2Size),
                    map.firstInvalid(position(roundStart, log2Size), position(next, log2Size)));
                final long from = roundStart + random.nextInt((int)(next - roundStart));
                assertEquals(position(modelFirstInvalid(published, roundStart, from, next), log2Size),
                    map.firstInvalid(position(from, log2Size), position(next, log2Size)));
            }
        }
        assertTrue(next > 100L * capacity, "many laps: " + next);
    }

    @Test
    void aWholeRingIsOneRangeForFirstInvalid()
    {
        final ValidMap map = map(7);
        map.publish(0, 128);
        assertEquals(128, map.firstInvalid(0, 128), "0 to 0x80 (same index, other wrap) is the whole ring");
        map.publish(128, 128 + 64);
        assertEquals(128 + 64, map.firstInvalid(128, 256));
    }

    @ParameterizedTest(name = "prod=0x{0}")
    @ValueSource(ints = {0, 5, 64, 100, 128, 133, 200, 255})
    void resetMakesEverySlotInvalidForTheLapItIsWrittenInNext(final int prod)
    {
        final int log2Size = 7;
        final ValidMap map = map(log2Size);
        map.reset(prod);
        for (int i = 0; i < 128; i++)
        {
            final int position = QueueIndex.advance(prod, i, log2Size);
            assertFalse(map.isValid(position), "slot of position 0x" + Integer.toHexString(position));
        }
        map.publish(prod, QueueIndex.advance(prod, 128, log2Size));
        for (int i = 0; i < 128; i++)
        {
            assertTrue(map.isValid(QueueIndex.advance(prod, i, log2Size)));
        }
    }

    /** The model: first unpublished position at or after {@code from}, rounded down to its 64-slot chunk. */
    private static long modelFirstInvalid(final boolean[] published, final long base, final long from, final long end)
    {
        for (long p = from; p < end; p++)
        {
            if (!published[(int)(p - base)])
            {
                return Math.max(from, p - (p & 63));
            }
        }
        return end;
    }

    private static int position(final long absolute, final int log2Size)
    {
        return (int)(absolute & ((2L << log2Size) - 1));
    }
}
