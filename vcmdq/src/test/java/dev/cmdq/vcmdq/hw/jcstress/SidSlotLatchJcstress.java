package dev.cmdq.vcmdq.hw.jcstress;

import dev.cmdq.vcmdq.hw.Cmdqv;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The host re-programs a VINTF SID slot from pair A (vSID {@value #VSID_A} to pSID {@value #PSID_A}) to
 * pair B ({@value #VSID_B} to {@value #PSID_B}) with the real {@link Cmdqv#clearSidSlot} and
 * {@link Cmdqv#programSidSlot}; the engine looks both vSIDs up with the real {@link Cmdqv#lookupSid},
 * which reads only the slot's 64-bit latch. Each lookup must see no match or its own complete pair:
 * vSID A never yields B's pSID or the cleared 0, vSID B never yields A's pSID or 0.
 * Result: (lookup of A, lookup of B), -1 = {@link Cmdqv#NO_MATCH}.
 */
@JCStressTest
@Outcome(id = "256, -1", expect = ACCEPTABLE, desc = "both lookups before the clear")
@Outcome(id = "256, 512", expect = ACCEPTABLE, desc = "A looked up before the clear, B after the program")
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "both lookups between the clear and the program")
@Outcome(id = "-1, 512", expect = ACCEPTABLE, desc = "A after the clear, B after the program")
@Outcome(expect = FORBIDDEN, desc = "a lookup paired a vSID with a pSID that is not its own (torn or mixed slot)")
@State
public class SidSlotLatchJcstress
{
    static final int VINTF = 0;
    static final int SLOT = 0;
    static final long VSID_A = 0x10;
    static final long PSID_A = 0x100;
    static final long VSID_B = 0x20;
    static final long PSID_B = 0x200;

    private final Cmdqv cmdqv = programmedWithA();

    /**
     * @return the smallest CMDQV with pair A in the slot.
     */
    static Cmdqv programmedWithA()
    {
        final Cmdqv cmdqv = new Cmdqv(0, 0);
        cmdqv.programSidSlot(VINTF, SLOT, VSID_A, PSID_A);
        return cmdqv;
    }

    /**
     * Host thread: re-programs the slot from A to B.
     */
    @Actor
    public void host()
    {
        reprogramToB(cmdqv);
    }

    /**
     * The host's re-programming from A to B, shared with the negative control so both race the same writes.
     *
     * @param cmdqv a CMDQV from {@link #programmedWithA()}.
     */
    static void reprogramToB(final Cmdqv cmdqv)
    {
        cmdqv.clearSidSlot(VINTF, SLOT);
        cmdqv.programSidSlot(VINTF, SLOT, VSID_B, PSID_B);
    }

    /**
     * Engine thread.
     *
     * @param r pSID found for A, pSID found for B.
     */
    @Actor
    public void engine(final JJ_Result r)
    {
        r.r1 = cmdqv.lookupSid(VINTF, VSID_A);
        r.r2 = cmdqv.lookupSid(VINTF, VSID_B);
    }
}
