package dev.cmdq.vcmdq.hw.jcstress;

import dev.cmdq.vcmdq.hw.Cmdqv;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static dev.cmdq.vcmdq.hw.jcstress.SidSlotLatchJcstress.SLOT;
import static dev.cmdq.vcmdq.hw.jcstress.SidSlotLatchJcstress.VINTF;
import static dev.cmdq.vcmdq.hw.jcstress.SidSlotLatchJcstress.VSID_A;
import static dev.cmdq.vcmdq.hw.jcstress.SidSlotLatchJcstress.VSID_B;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Negative control with a real logic race: the same host re-programming as {@link SidSlotLatchJcstress}
 * (the real {@link Cmdqv}), but the engine's lookup is a copy of the protocol that reads the SID_MATCH and
 * SID_REPLACE registers as two separate words instead of the latch. Between its two reads the host can
 * clear the slot (A then yields pSID 0) or clear and re-program it (A yields B's pSID). This test shows
 * that jcstress, on this machine, observes such a torn pair, so the latch test's silence means something.
 * Result: (lookup of A, lookup of B), -1 = {@link Cmdqv#NO_MATCH}.
 */
@JCStressTest
@Outcome(id = "256, -1", expect = ACCEPTABLE, desc = "both lookups before the clear")
@Outcome(id = "256, 512", expect = ACCEPTABLE, desc = "A looked up before the clear, B after the program")
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "both lookups between the clear and the program")
@Outcome(id = "-1, 512", expect = ACCEPTABLE, desc = "A after the clear, B after the program")
@Outcome(expect = ACCEPTABLE_INTERESTING, desc = "the race: a vSID paired with a cleared or foreign pSID")
@State
public class SidRegisterPairRaceJcstress
{
    private final Cmdqv cmdqv = SidSlotLatchJcstress.programmedWithA();

    /**
     * Host thread: re-programs the slot from A to B, exactly as the latch test.
     */
    @Actor
    public void host()
    {
        SidSlotLatchJcstress.reprogramToB(cmdqv);
    }

    /**
     * Engine thread with the broken two-word lookup.
     *
     * @param r pSID found for A, pSID found for B.
     */
    @Actor
    public void engine(final JJ_Result r)
    {
        r.r1 = lookupByRegisters(VSID_A);
        r.r2 = lookupByRegisters(VSID_B);
    }

    /** SID_MATCH (acquire), then SID_REPLACE (acquire): each word is whole, the pair is not. */
    private long lookupByRegisters(final long vsid)
    {
        if (cmdqv.sidMatch(VINTF, SLOT) != CmdqvLayout.sidMatch(vsid))
        {
            return Cmdqv.NO_MATCH;
        }
        return cmdqv.sidReplace(VINTF, SLOT) & 0xFFFF_FFFFL;
    }
}
