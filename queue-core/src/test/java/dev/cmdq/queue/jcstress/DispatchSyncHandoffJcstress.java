package dev.cmdq.queue.jcstress;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.dispatch.DispatchIssuer;
import dev.cmdq.queue.dispatch.DispatchMode;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.HeapRingMemory;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.cmdq.queue.jcstress.DispatchHandoffJcstress.A0;
import static dev.cmdq.queue.jcstress.DispatchHandoffJcstress.A1;
import static dev.cmdq.queue.jcstress.DispatchHandoffJcstress.B0;
import static dev.cmdq.queue.jcstress.DispatchHandoffJcstress.B1;
import static dev.cmdq.queue.jcstress.DispatchHandoffJcstress.command;
import static dev.cmdq.queue.jcstress.DispatchHandoffJcstress.ringHolds;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The sync side of the dispatch record hand-off, through the real {@link DispatchIssuer} in
 * {@link DispatchMode#COMBINING} form: two requesters each issue one command <em>with</em> sync. The
 * combiner copies, publishes, sets its group INSERTED (release), waits for the group's one sync and then
 * gives every record of the group its status by CAS, the other thread's included. The device runs inline
 * (tests' inline mode, no third thread): every idle of a waiting thread runs it if no other thread is
 * running it at that moment (a CAS on a device turn, so the consumer has one thread at a time).
 *
 * <p>Checked: each requester gets OK and, after that status, finds its own command in the ring; after
 * both (arbiter) the device consumed every published entry (CONS = PROD), saw A's and B's command once
 * each with both dwords as written, and nothing else but completion entries. The last column is the
 * number of drains: 1 means one group served both and one requester's status was set by the other
 * thread (marked interesting so the run test can demand it happened).
 * Result: (status A, A sees its entry, status B, B sees its entry, device saw exactly A and B, drains).
 */
@JCStressTest
@Outcome(id = "0, 1, 0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING,
    desc = "one group commit served both requesters: a status set across threads")
@Outcome(id = "0, 1, 0, 1, 1, 2", expect = ACCEPTABLE, desc = "two groups, each serving what was queued")
@Outcome(expect = FORBIDDEN, desc = "a status without the writer's work, a lost or torn command, or a failed call")
@State
public class DispatchSyncHandoffJcstress
{
    private static final TestCompletionEntry COMPLETION = new TestCompletionEntry();
    /** The slots the two calls can use: each command and its CMD_SYNC. */
    private static final int SLOTS = 4;

    private final HeapRingMemory memory = new HeapRingMemory(DispatchIssuer.MIN_LOG2_SIZE, 0x1_0000);
    private final MappedQueueRegisters registers =
        MappedQueueRegisters.wrap(new UnsafeBuffer(new byte[MappedQueueRegisters.LENGTH]), 0);
    private final QueueConsumer device = new QueueConsumer(memory, registers, this::onEntry, COMPLETION);
    private final AtomicInteger deviceTurn = new AtomicInteger();
    private final WaitPolicy wait = new WaitPolicy(
        TimeUnit.SECONDS.toNanos(1), () -> new DeviceTurnIdleStrategy(device, deviceTurn), SystemNanoClock.INSTANCE);
    private final DispatchIssuer issuer =
        new DispatchIssuer(memory, registers, COMPLETION, CompletionWait.CONS_POLL, wait, DispatchMode.COMBINING);
    private final UnsafeBuffer commandA = command(A0, A1);
    private final UnsafeBuffer commandB = command(B0, B1);
    /** Device side, written only while holding the device turn. */
    private int seenA;
    private int seenB;
    private int seenOther;

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        final long dword0 = buffer.getLong(offset);
        final long dword1 = buffer.getLong(offset + 8);
        if (dword0 == A0 && dword1 == A1)
        {
            seenA++;
        }
        else if (dword0 == B0 && dword1 == B1)
        {
            seenB++;
        }
        else if (!COMPLETION.isCompletion(buffer, offset))
        {
            seenOther++;
        }
        return CommandError.NONE;
    }

    /**
     * Requester A.
     *
     * @param r r1 = status, r2 = A's command seen in the ring after the status.
     */
    @Actor
    public void requesterA(final IIIIII_Result r)
    {
        r.r1 = issuer.issue(commandA, 0, 1, true);
        r.r2 = ringHolds(memory.buffer(), SLOTS, A0, A1);
    }

    /**
     * Requester B.
     *
     * @param r r3 = status, r4 = B's command seen in the ring after the status.
     */
    @Actor
    public void requesterB(final IIIIII_Result r)
    {
        r.r3 = issuer.issue(commandB, 0, 1, true);
        r.r4 = ringHolds(memory.buffer(), SLOTS, B0, B1);
    }

    /**
     * After both: what the device consumed.
     *
     * @param r r5 = CONS = PROD and the device saw A and B once each and otherwise only completions,
     *          r6 = drains.
     */
    @Arbiter
    public void arbiter(final IIIIII_Result r)
    {
        final boolean allConsumed = registers.getConsAcquire() == registers.getProdAcquire();
        r.r5 = allConsumed && seenA == 1 && seenB == 1 && seenOther == 0 ? 1 : 0;
        r.r6 = (int)issuer.dispatcher().drains();
    }

    /**
     * A waiting thread's back-off: run the inline device if no other thread is running it, then yield.
     */
    private static final class DeviceTurnIdleStrategy implements IdleStrategy
    {
        private final QueueConsumer device;
        private final AtomicInteger turn;

        DeviceTurnIdleStrategy(final QueueConsumer device, final AtomicInteger turn)
        {
            this.device = device;
            this.turn = turn;
        }

        @Override
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            // The CAS and the release hand the consumer's plain state from one thread to the next.
            if (turn.compareAndSet(0, 1))
            {
                try
                {
                    device.doWork();
                }
                finally
                {
                    turn.set(0);
                }
            }
            Thread.yield();
        }

        @Override
        public void reset()
        {
        }
    }
}
