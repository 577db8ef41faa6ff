package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.QueueIndex;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * Linux's {@code valid_map}: one bit per ring slot saying whether the entry written there in the
 * current lap is complete, so the owner of a gathered range can tell when every caller in it has
 * finished writing (smmuv3-cmdq.md §4.2, steps 3 and 4c).
 *
 * <pre>
 *   word w (64-bit, little-endian) covers slots 64w .. 64w+63; bit b = slot 64w+b
 *
 *   lap with WRAP = 0 :  bit 0 = not yet written   bit 1 = valid
 *   lap with WRAP = 1 :  bit 1 = not yet written   bit 0 = valid
 *
 *   publish([start, end)):  for each word the range touches, flip the range's bits in it
 *   valid([start, end)):    for each word, (word &amp; mask) == (WRAP(position) == 0 ? mask : 0)
 * </pre>
 *
 * Toggling once per lap keeps "valid" and "not yet written" consistent without ever clearing a bit.
 * Because the ring holds a multiple of 64 slots, a mask never straddles the end of the ring inside one
 * word.
 *
 * <p><b>The flip.</b> Linux flips with {@code atomic_long_xor}; Agrona's {@link AtomicBuffer} has no
 * atomic XOR, so the flip is one atomic add: on a WRAP=0 lap the range's bits are all 0 and adding the
 * mask sets them without a carry; on a WRAP=1 lap they are all 1 and subtracting the mask clears them
 * without a borrow. That is exactly the XOR, in one wait-free atomic instruction, given the invariant the
 * algorithm keeps (every slot is flipped exactly once per lap, by the one caller that reserved it).
 * The atomic add also orders the caller's plain entry stores before the flip (a full fence, the
 * {@code dma_wmb} of step 3); readers use acquire loads.
 */
public final class ValidMap
{
    private final AtomicBuffer buffer;
    private final int offset;
    private final int log2Size;
    private final int indexMask;

    /**
     * @param buffer   off-heap memory holding the map.
     * @param offset   byte offset of the first word, 8-byte aligned.
     * @param log2Size log2 of the ring's slots; the ring must hold a multiple of 64 slots (log2Size 6..19).
     * @throws IllegalArgumentException naming {@code log2Size} or {@code offset} when unusable.
     */
    public ValidMap(final AtomicBuffer buffer, final int offset, final int log2Size)
    {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        QueueIndex.checkLog2Size(log2Size);
        if (log2Size < 6)
        {
            throw new IllegalArgumentException("log2Size=" + log2Size +
                ": the valid map needs a ring of a multiple of 64 slots (log2Size >= 6)");
        }
        if ((offset & 7) != 0 || offset < 0 || offset > buffer.capacity() - bytes(log2Size))
        {
            throw new IllegalArgumentException("offset=" + offset + " is not an 8-byte aligned start of " +
                bytes(log2Size) + " bytes inside a buffer of " + buffer.capacity());
        }
        this.offset = offset;
        this.log2Size = log2Size;
        this.indexMask = QueueIndex.indexMask(log2Size);
    }

    /**
     * @param log2Size log2 of the ring's slots, {@code >= 6}.
     * @return bytes the map occupies: one bit per slot.
     */
    public static int bytes(final int log2Size)
    {
        return QueueIndex.capacity(log2Size) >>> 3;
    }

    /**
     * Sets every bit to "not yet written" for the lap in which the slot will be written next, given
     * that the next reservation starts at {@code prod}: slots from {@code idx(prod)} on are next written
     * in {@code prod}'s lap, slots before it in the following one. With {@code prod == 0} this is the
     * all-zero map Linux starts from. Call before the map is shared.
     *
     * @param prod PROD value (index and wrap) where writing resumes.
     */
    public void reset(final int prod)
    {
        final int prodIdx = prod & indexMask;
        final boolean wrapSet = QueueIndex.wrap(prod, log2Size) != 0;
        final int words = bytes(log2Size) >>> 3;
        for (int w = 0; w < words; w++)
        {
            long word = 0;
            for (int b = 0; b < 64; b++)
            {
                final int slot = (w << 6) + b;
                final boolean nextLapWrapSet = slot >= prodIdx ? wrapSet : !wrapSet;
                if (nextLapWrapSet)
                {
                    word |= 1L << b;
                }
            }
            buffer.putLongVolatile(offset + (w << 3), word);
        }
    }

    /**
     * Marks the slots of {@code [start, end)} valid for their lap (Linux's
     * {@code arm_smmu_cmdq_set_valid_map}). The caller's entry stores before this call are ordered
     * before the flip.
     *
     * @param start PROD value (index and wrap) of the first slot.
     * @param end   PROD value just past the last slot; at most one ring after {@code start}.
     */
    public void publish(final int start, final int end)
    {
        final int endIdx = end & indexMask;
        final int endWord = endIdx >>> 6;
        final int endBit = endIdx & 63;
        int p = start;
        while (p != end)
        {
            final int idx = p & indexMask;
            final int word = idx >>> 6;
            final int bit = idx & 63;
            final int limit = word == endWord && bit < endBit ? endBit : 64;
            final long mask = mask(bit, limit);
            getAndAddWord(word, QueueIndex.wrap(p, log2Size) == 0 ? mask : -mask);
            p = QueueIndex.advance(p, limit - bit, log2Size);
        }
    }

    /**
     * Finds where the valid prefix of {@code [from, end)} stops, one word-sized chunk at a time (acquire
     * loads): an owner calls it until it returns {@code end} (Linux's
     * {@code arm_smmu_cmdq_poll_valid_map}, split so the caller owns the waiting).
     *
     * @param from PROD value where checking starts.
     * @param end  PROD value just past the range; at most one ring after {@code from}.
     * @return {@code end} when every slot is valid, else the PROD value of the first chunk that is not.
     */
    public int firstInvalid(final int from, final int end)
    {
        final int endIdx = end & indexMask;
        final int endWord = endIdx >>> 6;
        final int endBit = endIdx & 63;
        int p = from;
        while (p != end)
        {
            final int idx = p & indexMask;
            final int word = idx >>> 6;
            final int bit = idx & 63;
            final int limit = word == endWord && bit < endBit ? endBit : 64;
            final long mask = mask(bit, limit);
            final long valid = QueueIndex.wrap(p, log2Size) == 0 ? mask : 0L;
            if ((lvWord(word) & mask) != valid)
            {
                return p;
            }
            p = QueueIndex.advance(p, limit - bit, log2Size);
        }
        return end;
    }

    /**
     * @param position PROD value (index and wrap) of one slot.
     * @return true when the slot holds a complete entry for the lap of {@code position}.
     */
    public boolean isValid(final int position)
    {
        final int idx = position & indexMask;
        final long bit = (lvWord(idx >>> 6) >>> (idx & 63)) & 1L;
        return bit == (QueueIndex.wrap(position, log2Size) == 0 ? 1L : 0L);
    }

    /**
     * @return log2 of the ring's slots this map covers.
     */
    public int log2Size()
    {
        return log2Size;
    }

    /**
     * @param word word number.
     * @return the word, acquire.
     */
    long lvWord(final int word)
    {
        return buffer.getLongAcquire(offset + (word << 3));
    }

    private void getAndAddWord(final int word, final long delta)
    {
        buffer.getAndAddLong(offset + (word << 3), delta);
    }

    /**
     * @param from  lowest bit.
     * @param limit one past the highest bit, {@code from < limit <= 64}.
     * @return bits {@code [from, limit)} set.
     */
    static long mask(final int from, final int limit)
    {
        final long high = limit == 64 ? -1L : (1L << limit) - 1;
        return high & (-1L << from);
    }
}
