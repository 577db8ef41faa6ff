package dev.cmdq.queue.lockfree;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Negative control with a real logic race: the owner of {@link OwnedHandoverJcstress} hands
 * {@code owner_prod} over <em>before</em> writing PROD. The next owner can then see the hand-over with
 * PROD not yet written (and its own PROD write could be overtaken); jcstress must observe it here.
 */
@JCStressTest
@Outcome(id = "6, 0, -1", expect = ACCEPTABLE, desc = "caller reserved first: gathered by the owner")
@Outcome(id = "4, 1, -1", expect = ACCEPTABLE, desc = "caller is the next owner, hand-over not seen yet")
@Outcome(id = "4, 1, 4", expect = ACCEPTABLE, desc = "caller is the next owner and sees PROD at its start")
@Outcome(id = "4, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "the race: owner_prod handed over, PROD not written")
@State
public class OwnerProdBeforeProdRaceJcstress
{
    private final CmdqState state =
        new CmdqState(new UnsafeBuffer(new byte[CmdqState.length(OwnedHandoverJcstress.LOG2_SIZE)]), OwnedHandoverJcstress.LOG2_SIZE);
    private final UnsafeBuffer prodRegister = new UnsafeBuffer(new byte[8]);

    /**
     * The owner of [0, 4) is gathering.
     */
    public OwnerProdBeforeProdRaceJcstress()
    {
        state.reset(0, 0);
        state.casProdCons(ProdCons.pack(0, 0), ProdCons.pack(4 | ProdCons.OWNED, 0));
    }

    /**
     * The broken owner: 4b, 4e, 4d.
     *
     * @param r r1 = gathered end.
     */
    @Actor
    public void owner(final III_Result r)
    {
        final int gatheredEnd = ProdCons.withoutOwned(ProdCons.prod(state.getAndAddProdCons(ProdCons.CLEAR_OWNED)));
        state.soOwnerProd(gatheredEnd);
        prodRegister.putIntRelease(0, gatheredEnd);
        r.r1 = gatheredEnd;
    }

    /**
     * The next caller.
     *
     * @param r r2 = became owner, r3 = PROD seen after owner_prod reached its start, else -1.
     */
    @Actor
    public void nextCaller(final III_Result r)
    {
        final int[] started = OwnedHandoverJcstress.reserve(state, 2);
        final boolean owner = started[1] != 0;
        r.r2 = owner ? 1 : 0;
        r.r3 = owner && state.lvOwnerProd() == started[0] ? prodRegister.getIntAcquire(0) : -1;
    }
}
