package dev.cmdq.queue.testkit;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The entry format of every stress test: a sequence number and a checksum inside the 16 bytes, so a
 * consumer can tell a lost, duplicated, reordered or torn entry from a good one.
 *
 * <pre>
 *   dword0:  63                          16 15      8 7        0
 *           +------------------------------+---------+----------+
 *           |        SEQUENCE (48 bits)    |  FLAGS  | KIND=5Eh |
 *           +------------------------------+---------+----------+
 *   dword1:  CHECKSUM = mix64(dword0)      (SplitMix64 finaliser)
 * </pre>
 *
 * A torn entry (one dword from an older use of the slot) fails the checksum, because the older dword0
 * carried another sequence number. FLAGS is free for the test (e.g. "reject me" markers); a producer id
 * can live in the high bits of SEQUENCE.
 */
public final class StressEntry
{
    /** dword0 bits 7:0. */
    public static final int KIND = 0x5E;
    /** Largest sequence number that fits. */
    public static final long MAX_SEQUENCE = (1L << 48) - 1;

    private StressEntry()
    {
    }

    /**
     * Writes one entry as two 64-bit stores.
     *
     * @param buffer   destination.
     * @param offset   byte offset of the slot.
     * @param sequence 0..{@link #MAX_SEQUENCE}.
     * @param flags    0..255.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final long sequence, final int flags)
    {
        final long dword0 = (sequence << 16) | ((long)(flags & 0xFF) << 8) | KIND;
        buffer.putLong(offset, dword0);
        buffer.putLong(offset + 8, mix64(dword0));
    }

    /**
     * @param buffer source.
     * @param offset byte offset of the slot.
     * @return true when the slot holds a stress entry whose checksum matches (not torn).
     */
    public static boolean isIntact(final DirectBuffer buffer, final int offset)
    {
        final long dword0 = buffer.getLong(offset);
        return (dword0 & 0xFF) == KIND && buffer.getLong(offset + 8) == mix64(dword0);
    }

    /**
     * @param buffer source.
     * @param offset byte offset of the slot.
     * @return true when bits 7:0 say "stress entry" (checksum not checked).
     */
    public static boolean isStressEntry(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset) & 0xFF) == KIND;
    }

    /**
     * @param buffer source.
     * @param offset byte offset of the slot.
     * @return the sequence number.
     */
    public static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset) >>> 16;
    }

    /**
     * @param buffer source.
     * @param offset byte offset of the slot.
     * @return the flags byte.
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return (int)(buffer.getLong(offset) >>> 8) & 0xFF;
    }

    /**
     * @param x a 64-bit value.
     * @return the SplitMix64 finaliser of {@code x}: every input bit affects every output bit.
     */
    public static long mix64(final long x)
    {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
