package dev.cmdq.queue.jcstress;

import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.dispatch.DispatchIssuer;
import dev.cmdq.queue.dispatch.DispatchMode;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.HeapRingMemory;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The dispatch record hand-off through the real {@link DispatchIssuer} in {@link DispatchMode#COMBINING}
 * form: two requesters each issue one command without sync, so both actors run real code and whichever
 * wins the writer flag drains the handoff queue (the writer's duty cycle) for both. When one requester's
 * drain takes the other's record, the record's plain fields (buffer, offset, count) cross threads only
 * through the MPSC offer/poll, and the status comes back only through the release store on
 * {@code state} ({@code DispatchRequest}'s "Ordering").
 *
 * <p>Checked: each requester gets OK and, reading the ring after it saw that status, finds its own
 * command (both dwords) in it; afterwards (arbiter) the ring holds exactly both commands and PROD is 2.
 * The last column is the number of drains: 1 means one drain served both records, one of them the other
 * thread's (a real hand-off, marked interesting so the run test can demand it happened).
 * Result: (status A, A sees its entry, status B, B sees its entry, ring and PROD exact, drains).
 */
@JCStressTest
@Outcome(id = "0, 1, 0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING,
    desc = "one drain served both requesters: a record handed across threads")
@Outcome(id = "0, 1, 0, 1, 1, 2", expect = ACCEPTABLE, desc = "two drains, each serving what was queued")
@Outcome(expect = FORBIDDEN, desc = "a status without the writer's copy, a lost or torn command, or a failed call")
@State
public class DispatchHandoffJcstress
{
    static final long A0 = 0x0A0A_0001_0000_0A0AL;
    static final long A1 = 0x0A0A_0002_0000_0A0AL;
    static final long B0 = 0x0B0B_0001_0000_0B0BL;
    static final long B1 = 0x0B0B_0002_0000_0B0BL;

    /** One per-thread idle strategy for every state (the policy keeps them per thread); yields, never parks. */
    private static final WaitPolicy WAIT =
        new WaitPolicy(TimeUnit.SECONDS.toNanos(1), YieldingIdleStrategy::new, SystemNanoClock.INSTANCE);

    private final HeapRingMemory memory = new HeapRingMemory(DispatchIssuer.MIN_LOG2_SIZE, 0x1_0000);
    private final MappedQueueRegisters registers =
        MappedQueueRegisters.wrap(new UnsafeBuffer(new byte[MappedQueueRegisters.LENGTH]), 0);
    private final DispatchIssuer issuer = new DispatchIssuer(memory, registers, new TestCompletionEntry(),
        CompletionWait.CONS_POLL, WAIT, DispatchMode.COMBINING);
    private final UnsafeBuffer commandA = command(A0, A1);
    private final UnsafeBuffer commandB = command(B0, B1);

    /** A requester's one command (also {@link DispatchSyncHandoffJcstress}'s). */
    static UnsafeBuffer command(final long dword0, final long dword1)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putLong(0, dword0);
        buffer.putLong(8, dword1);
        return buffer;
    }

    /**
     * Plain reads over the first {@code slots} slots: a status seen with acquire must bring the writer's
     * copy with it.
     *
     * @return 1 if one of them holds the command, both dwords.
     */
    static int ringHolds(final AtomicBuffer ring, final int slots, final long dword0, final long dword1)
    {
        for (int offset = 0; offset < slots * 16; offset += 16)
        {
            if (ring.getLong(offset) == dword0 && ring.getLong(offset + 8) == dword1)
            {
                return 1;
            }
        }
        return 0;
    }

    /**
     * Requester A.
     *
     * @param r r1 = status, r2 = A's command seen in the ring after the status.
     */
    @Actor
    public void requesterA(final IIIIII_Result r)
    {
        r.r1 = issuer.issue(commandA, 0, 1, false);
        r.r2 = ringHolds(memory.buffer(), 2, A0, A1);
    }

    /**
     * Requester B.
     *
     * @param r r3 = status, r4 = B's command seen in the ring after the status.
     */
    @Actor
    public void requesterB(final IIIIII_Result r)
    {
        r.r3 = issuer.issue(commandB, 0, 1, false);
        r.r4 = ringHolds(memory.buffer(), 2, B0, B1);
    }

    /**
     * After both: the device-side view.
     *
     * @param r r5 = the ring holds exactly A and B in slots 0 and 1 and PROD is 2, r6 = drains.
     */
    @Arbiter
    public void device(final IIIIII_Result r)
    {
        final AtomicBuffer ring = memory.buffer();
        final long s00 = ring.getLong(0);
        final long s01 = ring.getLong(8);
        final long s10 = ring.getLong(16);
        final long s11 = ring.getLong(24);
        final boolean ab = s00 == A0 && s01 == A1 && s10 == B0 && s11 == B1;
        final boolean ba = s00 == B0 && s01 == B1 && s10 == A0 && s11 == A1;
        r.r5 = (ab || ba) && registers.getProdAcquire() == 2 ? 1 : 0;
        r.r6 = (int)issuer.dispatcher().drains();
    }
}
