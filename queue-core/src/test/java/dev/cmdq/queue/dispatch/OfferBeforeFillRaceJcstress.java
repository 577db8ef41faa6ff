package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.HeapRingMemory;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Negative control for {@code dev.cmdq.queue.jcstress.DispatchHandoffJcstress}, with a real logic race:
 * a requester that offers its reused record <em>before</em> filling it (the record still names its
 * previous call's buffer, as a per-thread record does after a call). The writer is the real
 * {@link Dispatcher#doWork()}, so it can take the record and copy the previous call's command. This
 * shows that jcstress, on this machine, observes a record whose fields were not published by the offer.
 * It lives in this package because the record protocol ({@link DispatchRequest}, {@link Dispatcher#offer})
 * is package-private. Result: (requests the drain served, 1 = the ring holds the new command, 2 = the
 * previous call's).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "every drain ran before the offer")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer copied the new command")
@Outcome(id = "1, 2", expect = ACCEPTABLE_INTERESTING, desc = "the race: the writer copied the previous call's command")
@Outcome(expect = FORBIDDEN, desc = "anything else: the control itself is broken")
@State
public class OfferBeforeFillRaceJcstress
{
    /** Most drains the writer actor tries before it gives up (the requester may not have run yet). */
    private static final int DRAINS = 4096;
    private static final long NEW0 = 0x0E0E_0001_0000_0E0EL;
    private static final long NEW1 = 0x0E0E_0002_0000_0E0EL;
    private static final long OLD0 = 0x0D0D_0001_0000_0D0DL;
    private static final long OLD1 = 0x0D0D_0002_0000_0D0DL;

    private final HeapRingMemory memory = new HeapRingMemory(Dispatcher.MIN_LOG2_SIZE, 0x1_0000);
    private final MappedQueueRegisters registers =
        MappedQueueRegisters.wrap(new UnsafeBuffer(new byte[MappedQueueRegisters.LENGTH]), 0);
    private final Dispatcher dispatcher = new Dispatcher(memory.buffer(), Dispatcher.MIN_LOG2_SIZE,
        memory.deviceAddress(), registers, new TestCompletionEntry(), CompletionWait.CONS_POLL, false,
        WaitPolicy.linuxDefault(), null);
    private final UnsafeBuffer fresh = command(NEW0, NEW1);
    private final DispatchRequest request = new DispatchRequest();

    /**
     * The record as its previous (completed) call left it.
     */
    public OfferBeforeFillRaceJcstress()
    {
        request.fill(command(OLD0, OLD1), 0, 1, false);
    }

    private static UnsafeBuffer command(final long dword0, final long dword1)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putLong(0, dword0);
        buffer.putLong(8, dword1);
        return buffer;
    }

    /**
     * Broken requester: PENDING and offer first, fill second.
     */
    @Actor
    public void requester()
    {
        request.soState(DispatchRequest.PENDING);
        dispatcher.offer(request);
        request.fill(fresh, 0, 1, false);
    }

    /**
     * The writer's duty cycle, run until it served the record or {@value #DRAINS} times (a dedicated
     * writer polls in the same way, so it takes a record as soon as it is offered); backs off by yielding
     * so it cannot starve the requester on two oversubscribed cores.
     *
     * @param r served, which command the ring holds.
     */
    @Actor
    public void writer(final II_Result r)
    {
        int served = 0;
        for (int i = 0; i < DRAINS && served == 0; i++)
        {
            served = dispatcher.doWork();
            if ((i & 31) == 31)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        r.r1 = served;
        final AtomicBuffer ring = memory.buffer();
        final long dword0 = ring.getLong(0);
        final long dword1 = ring.getLong(8);
        r.r2 = dword0 == NEW0 && dword1 == NEW1 ? 1 : dword0 == OLD0 && dword1 == OLD1 ? 2 : 0;
    }
}
