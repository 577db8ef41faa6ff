package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.lockfree.ValidMap;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * Repairs the slots a dead producer reserved on a lock-free multi-producer ring but did not publish:
 * every slot of its claim that is not yet valid gets a completion entry without write-back (a no-op for
 * the device, as Linux overwrites an illegal command with a CMD_SYNC) and then its valid bit, so the
 * owner gathering the range stops waiting (smmuv3-cmdq.md §4.2, step 4c).
 *
 * <pre>
 *   claim [start, end) of the dead producer, as it left it:
 *     | valid | valid | invalid | invalid |      the dead one published word by word (step 3) and died
 *       kept    kept    no-op     no-op          entries of valid slots are complete: never overwritten
 *                       +valid    +valid         (they may already be on their way to the device)
 * </pre>
 *
 * <p>Why only the invalid slots are written: a producer writes all its entries before it flips any valid
 * bit, so a valid slot holds a complete entry that the owner may already have published; an invalid slot
 * is behind every PROD an owner can write, so the device has not read it. Why each bit flips alone: the
 * dead producer may have flipped some of its words and not others, and {@link ValidMap#publish} is exact
 * only on bits still invalid in this lap (it adds), so each slot is checked and flipped on its own; bits
 * of other producers in the same word are untouched (an atomic add of a mask covering only our bit).
 *
 * <p><b>Preconditions</b> (the caller's, not checked here): the claim's producer is dead (a
 * {@link ProducerLeases} holder found dead, and this caller won {@link ProducerLeases#reclaim}), so no
 * other thread writes these slots; and {@code [start, end)} is exactly its claim, in the lap it was made
 * (positions carry the wrap bit). Knowing that range after a crash is the claim record's job: see the
 * package documentation for which windows make it known.
 *
 * <p>Not a hot path; allocates nothing.
 */
public final class AbandonedClaim
{
    private AbandonedClaim()
    {
    }

    /**
     * Writes a no-op completion into every invalid slot of {@code [start, end)} and marks it valid.
     *
     * @param ring       the ring's memory view.
     * @param log2Size   log2 of the ring's slots.
     * @param validMap   the ring's valid map.
     * @param completion how completion entries are written.
     * @param start      first slot of the claim (index and wrap).
     * @param end        one past its last slot (index and wrap); {@code 1..2^log2Size} slots after start.
     * @return the number of slots filled (0 if the dead producer had published everything).
     * @throws IllegalArgumentException naming {@code start} and {@code end} if the range is empty or longer
     *                                  than the ring.
     */
    public static int fill(
        final AtomicBuffer ring,
        final int log2Size,
        final ValidMap validMap,
        final CompletionEntry completion,
        final int start,
        final int end)
    {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(validMap, "validMap");
        Objects.requireNonNull(completion, "completion");
        final int length = QueueIndex.distance(start, end, log2Size);
        if (length == 0 || length > QueueIndex.capacity(log2Size))
        {
            throw new IllegalArgumentException("start=0x" + Integer.toHexString(start) + " end=0x" +
                Integer.toHexString(end) + ": a claim covers 1.." + QueueIndex.capacity(log2Size) + " slots, not " + length);
        }
        final int wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        final int indexMask = QueueIndex.indexMask(log2Size);
        int filled = 0;
        for (int p = start & wrapIndexMask, i = 0; i < length; i++, p = QueueIndex.advance(p, 1, log2Size))
        {
            if (!validMap.isValid(p))
            {
                final int offset = (p & indexMask) << RingMemory.ENTRY_SHIFT;
                completion.write(ring, offset, CompletionEntry.NO_WRITE_BACK);
                // The flip is an atomic add (a full fence): the entry's stores are visible before the bit.
                validMap.publish(p, QueueIndex.advance(p, 1, log2Size));
                filled++;
            }
        }
        return filled;
    }
}
