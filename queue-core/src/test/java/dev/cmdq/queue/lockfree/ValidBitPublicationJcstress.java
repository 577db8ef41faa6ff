package dev.cmdq.queue.lockfree;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Step 3 against step 4c: a caller writes its entry (two plain 8-byte stores) and then flips its valid
 * bit; the owner checks the bit (acquire) and, if valid, reads the entry. Seeing the bit but not the
 * whole entry is forbidden.
 */
@JCStressTest
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "not valid yet")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "valid and the whole entry visible")
@Outcome(expect = FORBIDDEN, desc = "valid but the entry not (fully) visible")
@State
public class ValidBitPublicationJcstress
{
    static final long DWORD0 = 0x1122_3344_5566_7788L;
    static final long DWORD1 = 0x99AA_BBCC_DDEE_FF00L;

    private final UnsafeBuffer ring = new UnsafeBuffer(new byte[64 * 16]);
    private final ValidMap validMap = new ValidMap(new UnsafeBuffer(new byte[ValidMap.bytes(6)]), 0, 6);

    /**
     * The caller: entry, then valid bit.
     */
    @Actor
    public void caller()
    {
        ring.putLong(5 * 16, DWORD0);
        ring.putLong(5 * 16 + 8, DWORD1);
        validMap.publish(5, 6);
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
        r.r2 = valid ? (ring.getLong(5 * 16) == DWORD0 && ring.getLong(5 * 16 + 8) == DWORD1 ? 1 : 0) : -1;
    }
}
