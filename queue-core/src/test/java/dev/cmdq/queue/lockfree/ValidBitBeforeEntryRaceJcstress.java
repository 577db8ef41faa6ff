package dev.cmdq.queue.lockfree;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Negative control with a real logic race: the caller flips its valid bit <em>before</em> writing the
 * entry. The owner of {@link ValidBitPublicationJcstress} can then see a valid slot without its entry;
 * jcstress on this machine must observe it, so the positive test's silence means something.
 */
@JCStressTest
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "not valid yet")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "valid and the whole entry visible")
@Outcome(expect = ACCEPTABLE_INTERESTING, desc = "the race: valid but the entry not (fully) written")
@State
public class ValidBitBeforeEntryRaceJcstress
{
    private final UnsafeBuffer ring = new UnsafeBuffer(new byte[64 * 16]);
    private final ValidMap validMap = new ValidMap(new UnsafeBuffer(new byte[ValidMap.bytes(6)]), 0, 6);

    /**
     * The broken caller: valid bit, then entry.
     */
    @Actor
    public void caller()
    {
        validMap.publish(5, 6);
        ring.putLong(5 * 16, ValidBitPublicationJcstress.DWORD0);
        ring.putLong(5 * 16 + 8, ValidBitPublicationJcstress.DWORD1);
    }

    /**
     * The owner gathering slot 5.
     *
     * @param r valid (1/0), entry intact (1/0) or -1 when not valid.
     */
    @Actor
    public void owner(final II_Result r)
    {
        final boolean valid = validMap.firstInvalid(5, 6) == 6;
        r.r1 = valid ? 1 : 0;
        r.r2 = valid ? (ring.getLong(5 * 16) == ValidBitPublicationJcstress.DWORD0 &&
            ring.getLong(5 * 16 + 8) == ValidBitPublicationJcstress.DWORD1 ? 1 : 0) : -1;
    }
}
