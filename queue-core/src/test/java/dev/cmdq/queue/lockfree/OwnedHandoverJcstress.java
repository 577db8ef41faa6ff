package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.QueueIndex;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The OWNED hand-over (steps 1 and 4b, 4d, 4e). The owner of [0, 4) stops gathering (clears OWNED with
 * an atomic add on the whole word), writes PROD and hands over {@code owner_prod}; concurrently the next
 * caller reserves 2 slots with a 64-bit CAS. Exactly one of them must be responsible for [4, 6): either
 * the owner gathered it (gathered end 6, the caller is not an owner) or the caller became the next owner
 * (gathered end 4). A new owner that sees {@code owner_prod} at its start must see PROD there too.
 */
@JCStressTest
@Outcome(id = "6, 0, -1", expect = ACCEPTABLE, desc = "caller reserved first: gathered by the owner")
@Outcome(id = "4, 1, -1", expect = ACCEPTABLE, desc = "caller is the next owner, hand-over not seen yet")
@Outcome(id = "4, 1, 4", expect = ACCEPTABLE, desc = "caller is the next owner and sees PROD at its start")
@Outcome(expect = FORBIDDEN, desc = "both or neither responsible, or owner_prod seen before PROD")
@State
public class OwnedHandoverJcstress
{
    static final int LOG2_SIZE = 7;

    final CmdqState state = new CmdqState(new UnsafeBuffer(new byte[CmdqState.length(LOG2_SIZE)]), LOG2_SIZE);
    /** The PROD register. */
    final UnsafeBuffer prodRegister = new UnsafeBuffer(new byte[8]);

    /**
     * The owner of [0, 4) is gathering.
     */
    public OwnedHandoverJcstress()
    {
        state.reset(0, 0);
        state.casProdCons(ProdCons.pack(0, 0), ProdCons.pack(4 | ProdCons.OWNED, 0));
    }

    /**
     * The owner: 4b, 4d, 4e.
     *
     * @param r r1 = gathered end.
     */
    @Actor
    public void owner(final III_Result r)
    {
        final int gatheredEnd = ProdCons.withoutOwned(ProdCons.prod(state.getAndAddProdCons(ProdCons.CLEAR_OWNED)));
        prodRegister.putIntRelease(0, gatheredEnd);
        state.soOwnerProd(gatheredEnd);
        r.r1 = gatheredEnd;
    }

    /**
     * The next caller: step 1 for 2 slots, then one look at owner_prod and PROD if it became owner.
     *
     * @param r r2 = became owner (1/0), r3 = PROD seen after owner_prod reached its start, else -1.
     */
    @Actor
    public void nextCaller(final III_Result r)
    {
        final int[] started = reserve(state, 2);
        final boolean owner = started[1] != 0;
        r.r2 = owner ? 1 : 0;
        r.r3 = owner && state.lvOwnerProd() == started[0] ? prodRegister.getIntAcquire(0) : -1;
    }

    /**
     * Step 1: reserve {@code k} slots.
     *
     * @return {start, 1 if owner else 0}.
     */
    static int[] reserve(final CmdqState state, final int k)
    {
        long snapshot = state.lvProdCons();
        while (true)
        {
            final int prod = ProdCons.prod(snapshot);
            final long head = ProdCons.withProd(snapshot, QueueIndex.advance(prod, k, LOG2_SIZE) | ProdCons.OWNED);
            final long witness = state.caeProdCons(snapshot, head);
            if (witness == snapshot)
            {
                return new int[] {ProdCons.withoutOwned(prod), ProdCons.isOwned(prod) ? 0 : 1};
            }
            snapshot = witness;
        }
    }
}
