package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * Single-writer dispatch as a {@link CommandIssuer}: every caller hands its call to the one writer of the
 * ring ({@link Dispatcher}) and waits; the writer copies, publishes PROD once per drain and completes
 * all sync callers of a drain with one shared sync (group commit).
 *
 * <pre>
 *  issue(cmds[0..n), sync):
 *    record    one of the calling thread's preallocated records that is FREE      (no allocation)
 *    hand over fill it, PENDING, offer to the MPSC queue                          (JCTools MpscArrayQueue)
 *    wait      until the record holds a status:                                   (bounded, backs off)
 *                without sync: the commands are in the ring and PROD is published
 *                with sync:    the group's sync completed (or failed)
 *              COMBINING: on every round, try the writer flag (test, then CAS); the winner runs one
 *              drain for everybody queued, releases the flag, and — if the queue is not empty — tries
 *              once more, so a request enqueued just as the flag was given up is not left to a parked
 *              waiter's back-off
 *    give up   at the deadline or on close: PENDING -&gt; CANCELLED or INSERTED -&gt; ABANDONED (CAS); a
 *              TAKEN record is being copied and will be published without waiting, so it is waited for
 * </pre>
 *
 * <p><b>Why records in an MPSC queue</b> rather than the commands in an Agrona many-to-one ring buffer:
 * the record only points at the caller's buffer, so each command is copied once, caller's buffer to
 * ring, as two 8-byte moves; a command ring would copy twice and still need a per-caller completion
 * word. The caller may reuse its buffer once the call returned, because it returns only after the
 * writer's copy (or without a copy).
 *
 * <p><b>Records per thread.</b> A thread owns {@value #RECORDS_PER_THREAD} records, created on its first
 * call ({@code ThreadLocal}) and reused. A record the caller gave up on stays the writer's until the
 * writer let go of it; the next call takes another record, so giving up never makes the next call wait.
 * When all of a thread's records are still the writer's, the call waits (bounded) for one.
 *
 * <p><b>Results</b>: {@link IssueStatus#OK}; {@link IssueStatus#TIMEOUT} (given up while queued: nothing
 * inserted; or while waiting for the sync: inserted); {@link IssueStatus#CLOSED}; or
 * {@link IssueStatus#COMMAND_ERROR} for the whole group when the device failed its sync or one of its
 * commands (see {@link Dispatcher}). Requesters wait with the {@link WaitPolicy}'s idle strategy; with a
 * device driven from that idle strategy (tests' inline mode) the dispatcher works in both modes: the
 * writer thread only needs the device to move while some requester waits for it.
 *
 * <p>close(): stops the writer (a dedicated thread is joined) and releases every waiting caller with
 * {@link IssueStatus#CLOSED}; then the ring is released. Call it once callers have stopped issuing.
 */
public final class DispatchIssuer implements CommandIssuer
{
    /** Smallest ring, as {@link Dispatcher#MIN_LOG2_SIZE}. */
    public static final int MIN_LOG2_SIZE = Dispatcher.MIN_LOG2_SIZE;
    /** Records a thread owns. */
    public static final int RECORDS_PER_THREAD = 4;

    private static final int LINE = 128;
    private static final int FLAG_OFFSET = LINE;

    private final RingMemory memory;
    private final Dispatcher dispatcher;
    private final DispatchMode mode;
    private final boolean forceSync;
    private final WaitPolicy wait;
    private final String name;
    private final AgentRunner runner;
    /** The dedicated writer's idle strategy (null when combining): requesters wake it when it parks. */
    private final WakeableIdleStrategy writerIdle;
    /** The writer flag of COMBINING (0 free, 1 held), alone on its cache line. */
    private final AtomicBuffer flag = new UnsafeBuffer(BufferUtil.allocateDirectAligned(3 * LINE, LINE));
    private final ThreadLocal<Records> records = ThreadLocal.withInitial(Records::new);
    private volatile boolean closed;
    private volatile Throwable writerError;

    /**
     * A dispatcher without FORCE_SYNC whose writer thread (if any) backs off with the default strategy.
     *
     * @param memory         the ring, at least 2^{@value #MIN_LOG2_SIZE} entries; retained until close.
     * @param registers      the queue's registers; PROD and CONS are read once for the initial state.
     * @param completion     how completion entries are written.
     * @param completionWait how the writer learns a sync completed.
     * @param wait           back-off and bound of every wait.
     * @param mode           who runs the writer.
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small, or the
     *                                  completion format when its write-back could not be observed.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public DispatchIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final DispatchMode mode)
    {
        this(memory, registers, completion, completionWait, wait, mode, false);
    }

    /**
     * @param memory         the ring, at least 2^{@value #MIN_LOG2_SIZE} entries; retained until close.
     * @param registers      the queue's registers; PROD and CONS are read once for the initial state.
     * @param completion     how completion entries are written.
     * @param completionWait how the writer learns a sync completed.
     * @param wait           back-off and bound of every wait.
     * @param mode           who runs the writer.
     * @param forceSync      {@code ARM_SMMU_OPT_CMDQ_FORCE_SYNC}: never more than 63 commands ahead of a
     *                       sync (calls of 64 commands are then refused).
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small, or the
     *                                  completion format when its write-back could not be observed.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public DispatchIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final DispatchMode mode,
        final boolean forceSync)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.forceSync = forceSync;
        final boolean thread = mode == DispatchMode.WRITER_THREAD;
        // In its own thread the writer backs off on its own strategy; a combiner uses the requester's.
        this.dispatcher = new Dispatcher(memory.buffer(), memory.log2Size(), memory.deviceAddress(), registers,
            completion, completionWait, forceSync, wait, thread ? WaitPolicy.defaultIdle() : null);
        this.name = (thread ? "dispatch-thread" : "dispatch-combining") +
            (completionWait == CompletionWait.CONS_POLL ? "-cons-poll" : "") + (forceSync ? "-force-sync" : "");
        flag.putIntVolatile(FLAG_OFFSET, 0);
        memory.retain();
        if (thread)
        {
            this.writerIdle = new WakeableIdleStrategy(() -> !dispatcher.handoffEmpty(), WaitPolicy.DEFAULT_SPINS,
                WaitPolicy.DEFAULT_YIELDS, WaitPolicy.DEFAULT_MIN_PARK_NS, WaitPolicy.DEFAULT_MAX_PARK_NS);
            this.runner = new AgentRunner(writerIdle, this::onWriterError, null, dispatcher);
            AgentRunner.startOnThread(runner, r ->
            {
                final Thread t = new Thread(r, name + "-writer");
                t.setDaemon(true);
                return t;
            });
        }
        else
        {
            // Combiners call the agent's doWork() directly rather than through an AgentInvoker: the invoker
            // closes its agent when the invoking thread is interrupted, and one requester's interrupt must
            // not stop the writer for everybody.
            this.writerIdle = null;
            this.runner = null;
        }
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT}, {@link IssueStatus#CLOSED} or
     *         {@link IssueStatus#COMMAND_ERROR}.
     * @throws IllegalArgumentException naming {@code count} or {@code offset} when out of range, or
     *                                  {@code count} above 63 with FORCE_SYNC.
     */
    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        checkArguments(commands, offset, count);
        if (count == 0 && !sync)
        {
            return IssueStatus.OK;
        }
        if (closed)
        {
            return IssueStatus.CLOSED;
        }
        final boolean combining = mode == DispatchMode.COMBINING;
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();

        final Records mine = records.get();
        DispatchRequest request = mine.free();
        while (request == null)
        {
            if (closed)
            {
                return IssueStatus.CLOSED;
            }
            if (wait.expired(deadline))
            {
                return IssueStatus.TIMEOUT;
            }
            if (!combining || combine() <= 0)
            {
                idle.idle();
            }
            request = mine.free();
        }

        request.fill(commands, offset, count, sync);
        request.soState(DispatchRequest.PENDING);
        while (!offer(request))
        {
            final int status = closed ? IssueStatus.CLOSED : wait.expired(deadline) ? IssueStatus.TIMEOUT : IssueStatus.OK;
            if (status != IssueStatus.OK)
            {
                request.soState(DispatchRequest.FREE);
                return status;
            }
            if (!combining || combine() <= 0)
            {
                idle.idle();
            }
        }

        while (true)
        {
            final int state = request.lvState();
            if (state <= IssueStatus.OK)
            {
                request.soState(DispatchRequest.FREE);
                return state;
            }
            if (combining && combine() > 0)
            {
                continue;
            }
            final boolean isClosed = closed;
            if (isClosed || wait.expired(deadline))
            {
                final int status = isClosed ? IssueStatus.CLOSED : IssueStatus.TIMEOUT;
                if (state == DispatchRequest.PENDING && request.casState(DispatchRequest.PENDING, DispatchRequest.CANCELLED))
                {
                    return status;
                }
                if (state == DispatchRequest.INSERTED && request.casState(DispatchRequest.INSERTED, DispatchRequest.ABANDONED))
                {
                    return status;
                }
                // TAKEN: the writer is copying and publishes without waiting; the next read sees it.
            }
            idle.idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return name;
    }

    /**
     * Stops the writer (joins a writer thread), releases every waiting caller with
     * {@link IssueStatus#CLOSED} and releases the ring. Call it once callers have stopped issuing.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        dispatcher.close();
        if (runner != null)
        {
            runner.close();
        }
        else
        {
            // The handoff queue has one consumer: release the queued only while holding the flag. A combiner still draining sees the close in its sync wait and returns soon; if it does
            // not within the bound, the waiters give up on their own (they see the close too).
            final IdleStrategy idle = wait.idle();
            idle.reset();
            final long deadline = wait.deadline();
            while (!tryAcquireFlag())
            {
                if (wait.expired(deadline))
                {
                    memory.release();
                    return;
                }
                idle.idle();
            }
            try
            {
                dispatcher.onClose();
            }
            finally
            {
                releaseFlag();
            }
        }
        memory.release();
    }

    private boolean offer(final DispatchRequest request)
    {
        if (!dispatcher.offer(request))
        {
            return false;
        }
        if (writerIdle != null)
        {
            writerIdle.wake();
        }
        return true;
    }

    /**
     * @return the writer, for its counters.
     */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /**
     * @return who runs the writer.
     */
    public DispatchMode mode()
    {
        return mode;
    }

    /**
     * @return the dedicated writer thread, or null when combining (for diagnostics and tests).
     */
    Thread writerThread()
    {
        return runner != null ? runner.thread() : null;
    }

    /**
     * @return the last unexpected exception the writer threw (none expected), or null.
     */
    public Throwable writerError()
    {
        return writerError;
    }

    /**
     * COMBINING: runs one drain if the writer flag is free, and once more if requests arrived meanwhile.
     *
     * @return requests the drains served, or -1 when another thread is the writer.
     */
    private int combine()
    {
        if (!tryAcquireFlag())
        {
            return -1;
        }
        int work;
        try
        {
            work = dispatcher.doWork();
        }
        finally
        {
            releaseFlag();
        }
        // The hand-off race: a request enqueued after the drain's last peek, whose requester tried the
        // flag while we held it, is served now instead of after its back-off.
        if (!dispatcher.handoffEmpty() && tryAcquireFlag())
        {
            try
            {
                work += dispatcher.doWork();
            }
            finally
            {
                releaseFlag();
            }
        }
        return work;
    }

    /** Test, then CAS: waiters read a shared line instead of bouncing it. */
    private boolean tryAcquireFlag()
    {
        return flag.getIntVolatile(FLAG_OFFSET) == 0 && flag.compareAndSetInt(FLAG_OFFSET, 0, 1);
    }

    private void releaseFlag()
    {
        flag.putIntRelease(FLAG_OFFSET, 0);
    }

    private void onWriterError(final Throwable error)
    {
        writerError = error;
    }

    private void checkArguments(final DirectBuffer commands, final int offset, final int count)
    {
        if (count < 0 || count > MAX_COMMANDS)
        {
            throw new IllegalArgumentException("count=" + count + " outside [0, " + MAX_COMMANDS + "]");
        }
        if (forceSync && count > Dispatcher.FORCE_SYNC_LIMIT)
        {
            throw new IllegalArgumentException("count=" + count + " exceeds " + Dispatcher.FORCE_SYNC_LIMIT +
                ": with FORCE_SYNC no more than 63 commands may be queued ahead of a sync");
        }
        if (count > 0 && (offset < 0 || offset > commands.capacity() - count * RingMemory.ENTRY_BYTES))
        {
            throw new IllegalArgumentException("offset=" + offset + " with count=" + count +
                " exceeds the commands buffer of " + commands.capacity() + " bytes");
        }
    }

    /** A thread's records: created on its first call, reused for every later one. */
    private static final class Records
    {
        private final DispatchRequest[] records = new DispatchRequest[RECORDS_PER_THREAD];
        private int next;

        Records()
        {
            for (int i = 0; i < records.length; i++)
            {
                records[i] = new DispatchRequest();
            }
        }

        /**
         * @return a record the writer does not hold, or null when it holds them all.
         */
        DispatchRequest free()
        {
            for (int i = 0; i < records.length; i++)
            {
                final DispatchRequest record = records[(next + i) & (RECORDS_PER_THREAD - 1)];
                if (record.lvState() == DispatchRequest.FREE)
                {
                    next = (next + i) & (RECORDS_PER_THREAD - 1);
                    return record;
                }
            }
            return null;
        }
    }
}
