package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.ConsRegister;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.util.Objects;

/**
 * The single writer of one ring, as an Agrona {@link Agent}: each duty cycle ({@link #doWork()}) is one
 * <em>drain</em> of the requests handed over through an MPSC queue. Only the thread currently running
 * the agent touches the ring's producer side — a dedicated {@code AgentRunner} thread, or, when
 * combining, whichever requester holds the writer flag ({@link DispatchIssuer}).
 *
 * <pre>
 *  drain:
 *    take      while the queue's head fits (its commands, a FORCE_SYNC sync if due, and one slot
 *              for the group's sync once the group wants one; CONS re-read only when the cached
 *              value is short):
 *                cas PENDING -&gt; TAKEN (a CANCELLED head is dropped and freed)
 *                FORCE_SYNC and more than 63 commands since the last sync -&gt; a sync first
 *                copy its commands as 16-byte moves                   (contiguous, in order)
 *    sync      if any taken request wants one: ONE completion entry after all of them (group commit)
 *    publish   PROD := end                                          (release; once per drain)
 *    release   requests without sync: OK; with sync: INSERTED
 *    wait      for the group's sync (write-back word or CONS), repairing CERROR_ATC_INV_SYNC on it
 *    complete  every sync request of the group gets the one status
 * </pre>
 *
 * <p><b>Group commit.</b> Requests that arrive while the writer waits for a sync queue up and form the
 * next group, so under load many sync requests share one CMD_SYNC. A sync completes only after every
 * entry before it (smmuv3-cmdq.md §3), so one sync at the end covers every request of the group.
 *
 * <p><b>FORCE_SYNC</b> (Arm MMU-700 erratum 2812531, §4.4): no more than 63 commands are ever queued
 * ahead of a sync; the writer inserts one before a request that would go past 63 since the last sync
 * (counted across drains). A request of 64 commands cannot then be inserted contiguously, so the issuer
 * refuses it.
 *
 * <p><b>No waiting for space.</b> A head that does not fit ends the drain; the next duty cycle tries
 * again. So TAKEN never waits, and a requester that runs out of time while PENDING cancels its request
 * itself ({@link DispatchRequest}); the writer never decides a space timeout.
 *
 * <p><b>Command errors</b> (GERROR.CMDQ_ERR active while waiting for the group's sync; §1.4, §1.5):
 * <ul>
 *   <li>CERROR_ATC_INV_SYNC with a completion entry at CONS: the writer acknowledges CMDQ_ERR in GERRORN
 *       (that bit only; others stay for the GERROR handler) and the device retries the sync, as Linux
 *       does, within the same bounded wait. If the deadline passes while the sync keeps failing the
 *       group gets {@link IssueStatus#COMMAND_ERROR}; its commands before the sync were all consumed
 *       (CONS stands on the sync), nothing is lost, the device keeps retrying.</li>
 *   <li>any other code with CONS on one of this group's entries: the group gets
 *       {@link IssueStatus#COMMAND_ERROR} at once, and the error stays active for the queue's GERROR
 *       handler ({@code CommandErrorRecovery}) to repair — exactly as the other issuers leave every
 *       CERROR to that handler. A handler that repairs the entry before the writer looks lets the sync
 *       complete, and the group sees OK, as a Linux caller would.</li>
 *   <li>an error on an entry before the group (an earlier call without sync): the group keeps waiting;
 *       once the handler repaired it the sync completes.</li>
 * </ul>
 * A write-back sync whose word never comes although CONS passed it (write-back aborted) also gives
 * COMMAND_ERROR. Error checks read GERROR only after a first poll found the sync not done (the slow
 * path), so a fast completion costs no register read beyond the poll itself.
 *
 * <p><b>No held slots.</b> Unlike the spin-lock issuer, the writer needs no held-slot map: only it
 * writes the ring, it does not write while it waits for a sync, and afterwards it reuses a slot only
 * once CONS passed it — after the device's write-back, so a late write-back never lands on a newer
 * entry.
 *
 * <p><b>Threads.</b> {@link #doWork()} must be run by one thread at a time (the runner's, or a
 * combiner holding the flag, whose CAS and release store order one combiner's writes before the
 * next's); {@link #offer}, {@link #close()} and the counters may be used from any thread.
 */
public final class Dispatcher implements Agent
{
    /** Smallest ring: 2^7 = 128 entries, so a full batch, a FORCE_SYNC sync and the group's sync fit. */
    public static final int MIN_LOG2_SIZE = 7;
    /** With FORCE_SYNC, most commands ever queued ahead of a sync (erratum 2812531). */
    public static final int FORCE_SYNC_LIMIT = CommandIssuer.MAX_COMMANDS - 1;
    /** Capacity of the handoff queue: requests waiting for the writer at once. */
    public static final int HANDOFF_CAPACITY = 1024;

    private static final int LINE = 128;
    private static final int DRAINS_OFFSET = LINE;
    private static final int GROUPS_OFFSET = DRAINS_OFFSET + 8;
    private static final int SYNCS_OFFSET = GROUPS_OFFSET + 8;
    private static final int REQUESTS_OFFSET = SYNCS_OFFSET + 8;
    private static final int ATC_RETRIES_OFFSET = REQUESTS_OFFSET + 8;
    private static final int COUNTERS_BYTES = 3 * LINE;

    private final AtomicBuffer ring;
    private final QueueRegisters registers;
    private final CompletionEntry completion;
    private final boolean writeBack;
    private final boolean forceSync;
    private final WaitPolicy wait;
    private final IdleStrategy writerIdle;
    private final int log2Size;
    private final int indexMask;
    private final int wrapIndexMask;
    private final long deviceAddress;
    private final MpscArrayQueue<DispatchRequest> handoff = new MpscArrayQueue<>(HANDOFF_CAPACITY);
    private final DispatchRequest[] group;
    private final DispatchRequest[] syncGroup;
    /** Written by the writer only (release), read by anyone: drains, groups, syncs, requests, retries. */
    private final UnsafeBuffer counters = new UnsafeBuffer(BufferUtil.allocateDirectAligned(COUNTERS_BYTES, LINE));
    private volatile boolean closed;

    /** Writer state: PROD value just past the last written slot (= PROD last stored). */
    private int claimed;
    /** Writer state: the CONS last read (index and wrap). */
    private int cachedCons;
    /** Writer state: commands written since the last sync (FORCE_SYNC). */
    private int sinceSync;

    /**
     * @param ring           the ring's buffer (the caller keeps the memory retained while this runs).
     * @param log2Size       log2 of the ring's entries, {@value #MIN_LOG2_SIZE}..19.
     * @param deviceAddress  device address of the ring's first slot (write-back target).
     * @param registers      the queue's registers; PROD and CONS are read once for the initial state.
     * @param completion     how completion entries are written.
     * @param completionWait how the writer learns a sync completed.
     * @param forceSync      never more than {@value #FORCE_SYNC_LIMIT} commands ahead of a sync.
     * @param wait           bound of the sync wait (and back-off when {@code writerIdle} is null).
     * @param writerIdle     back-off of the sync wait, or null to use the running thread's idle strategy
     *                       from {@code wait} (combining: the requester's own).
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small, or the
     *                                  completion format when its write-back could not be observed.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public Dispatcher(
        final AtomicBuffer ring,
        final int log2Size,
        final long deviceAddress,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final boolean forceSync,
        final WaitPolicy wait,
        final IdleStrategy writerIdle)
    {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.registers = Objects.requireNonNull(registers, "registers");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.writeBack = Objects.requireNonNull(completionWait, "completionWait") == CompletionWait.WRITE_BACK;
        this.forceSync = forceSync;
        this.wait = Objects.requireNonNull(wait, "wait");
        this.writerIdle = writerIdle;
        if (log2Size < MIN_LOG2_SIZE || log2Size > QueueIndex.MAX_LOG2_SIZE)
        {
            throw new IllegalArgumentException("log2Size=" + log2Size + " outside [" + MIN_LOG2_SIZE + ", " +
                QueueIndex.MAX_LOG2_SIZE + "]: a full batch, a FORCE_SYNC sync and the group's sync must fit");
        }
        this.log2Size = log2Size;
        this.indexMask = QueueIndex.indexMask(log2Size);
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        this.deviceAddress = deviceAddress;
        if (writeBack)
        {
            CompletionEntry.requireObservableWriteBack(completion, deviceAddress);
        }
        final int prod = registers.getProdAcquire() & wrapIndexMask;
        final int cons = registers.getConsAcquire() & wrapIndexMask;
        final int free = QueueIndex.freeSpace(prod, cons, log2Size);
        if (free < 0 || free > QueueIndex.capacity(log2Size))
        {
            throw new IllegalStateException("PROD=0x" + Integer.toHexString(prod) + " and CONS=0x" +
                Integer.toHexString(cons) + " are more than a ring apart for log2Size=" + log2Size);
        }
        this.claimed = prod;
        this.cachedCons = cons;
        this.group = new DispatchRequest[QueueIndex.capacity(log2Size)];
        this.syncGroup = new DispatchRequest[QueueIndex.capacity(log2Size)];
    }

    /**
     * Hands a filled PENDING request to the writer (any thread; no allocation).
     *
     * @param request the record.
     * @return false when the handoff queue is full (try again after backing off).
     */
    boolean offer(final DispatchRequest request)
    {
        return handoff.offer(request);
    }

    /**
     * @return true when no request waits in the handoff queue (any thread; a snapshot).
     */
    boolean handoffEmpty()
    {
        return handoff.isEmpty();
    }

    /**
     * @return requests waiting in the handoff queue (any thread; a snapshot, for tests and diagnostics).
     */
    int queued()
    {
        return handoff.size();
    }

    /**
     * One drain.
     *
     * @return requests served (or cancelled ones dropped), so an idle strategy backs off at 0.
     */
    @Override
    public int doWork()
    {
        if (closed)
        {
            return failQueued(IssueStatus.CLOSED);
        }
        final AtomicBuffer ring = this.ring;
        final int indexMask = this.indexMask;
        final int wrapIndexMask = this.wrapIndexMask;
        int position = claimed;
        int taken = 0;
        int dropped = 0;
        int groupSyncs = 0;
        boolean syncWanted = false;
        final int groupStart = position;

        while (taken < group.length)
        {
            final DispatchRequest request = handoff.relaxedPeek();
            if (request == null)
            {
                break;
            }
            if (request.lvState() == DispatchRequest.CANCELLED)
            {
                handoff.relaxedPoll();
                request.soState(DispatchRequest.FREE);
                dropped++;
                continue;
            }
            final int count = request.count;
            final boolean forcedSync = forceSync && sinceSync > 0 && sinceSync + count > FORCE_SYNC_LIMIT;
            // Room for the group's sync is kept as soon as the group wants one.
            final int need = count + (forcedSync ? 1 : 0) + (syncWanted || request.sync ? 1 : 0);
            if (!QueueIndex.hasSpace(position, cachedCons, need, log2Size))
            {
                cachedCons = registers.getConsAcquire() & wrapIndexMask;
                if (!QueueIndex.hasSpace(position, cachedCons, need, log2Size))
                {
                    break;
                }
            }
            if (!request.casState(DispatchRequest.PENDING, DispatchRequest.TAKEN))
            {
                // Cancelled between the peek and now.
                handoff.relaxedPoll();
                request.soState(DispatchRequest.FREE);
                dropped++;
                continue;
            }
            handoff.relaxedPoll();
            if (forcedSync)
            {
                // Nobody waits for this one: the group's own sync comes later and covers everything.
                completion.write(ring, (position & indexMask) << RingMemory.ENTRY_SHIFT, CompletionEntry.NO_WRITE_BACK);
                position = (position + 1) & wrapIndexMask;
                sinceSync = 0;
                groupSyncs++;
            }
            final DirectBuffer commands = request.commands;
            for (int i = 0, src = request.offset; i < count; i++, src += RingMemory.ENTRY_BYTES)
            {
                final int slot = (position & indexMask) << RingMemory.ENTRY_SHIFT;
                ring.putLong(slot, commands.getLong(src));
                ring.putLong(slot + 8, commands.getLong(src + 8));
                position = (position + 1) & wrapIndexMask;
            }
            sinceSync += count;
            syncWanted |= request.sync;
            group[taken++] = request;
        }

        if (taken == 0)
        {
            return dropped;
        }

        int syncProd = 0;
        int syncSlot = 0;
        int syncValue = 0;
        if (syncWanted)
        {
            syncProd = position;
            syncSlot = (syncProd & indexMask) << RingMemory.ENTRY_SHIFT;
            completion.write(ring, syncSlot, writeBack ? deviceAddress + syncSlot : CompletionEntry.NO_WRITE_BACK);
            syncValue = writeBack ? completion.writeBackValue(ring, syncSlot) : 0;
            position = (position + 1) & wrapIndexMask;
            sinceSync = 0;
            groupSyncs++;
        }
        claimed = position;
        registers.putProdRelease(position);

        // A released record belongs to its requester again, who may refill and re-offer it at once: so
        // the sync requests are set aside first, and a released record is never read again.
        int waiting = 0;
        for (int i = 0; i < taken; i++)
        {
            final DispatchRequest request = group[i];
            group[i] = null;
            if (request.sync)
            {
                syncGroup[waiting++] = request;
                request.soState(DispatchRequest.INSERTED);
            }
            else
            {
                request.soState(IssueStatus.OK);
                request.wakeOwner();
            }
        }
        if (waiting > 0)
        {
            final int status = awaitSync(groupStart, syncProd, syncSlot, syncValue);
            for (int i = 0; i < waiting; i++)
            {
                final DispatchRequest request = syncGroup[i];
                syncGroup[i] = null;
                if (!request.casState(DispatchRequest.INSERTED, status))
                {
                    // ABANDONED: the requester gave up; the record is its again.
                    request.soState(DispatchRequest.FREE);
                }
                else
                {
                    request.wakeOwner();
                }
            }
        }

        increment(DRAINS_OFFSET, 1);
        if (syncWanted)
        {
            increment(GROUPS_OFFSET, 1);
        }
        increment(SYNCS_OFFSET, groupSyncs);
        increment(REQUESTS_OFFSET, taken);
        return taken + dropped;
    }

    /**
     * Releases every request still queued with {@link IssueStatus#CLOSED}.
     */
    @Override
    public void onClose()
    {
        closed = true;
        failQueued(IssueStatus.CLOSED);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String roleName()
    {
        return "cmdq-dispatcher";
    }

    /**
     * Stops the writer: its sync wait returns {@link IssueStatus#CLOSED} and later drains release every
     * queued request with it. Any thread; idempotent.
     */
    public void close()
    {
        closed = true;
    }

    /**
     * @return true once {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @return drains that served at least one request.
     */
    public long drains()
    {
        return counters.getLongVolatile(DRAINS_OFFSET);
    }

    /**
     * @return groups that ended with a sync somebody waited for.
     */
    public long groups()
    {
        return counters.getLongVolatile(GROUPS_OFFSET);
    }

    /**
     * @return completion entries written (group syncs and FORCE_SYNC syncs).
     */
    public long syncsInserted()
    {
        return counters.getLongVolatile(SYNCS_OFFSET);
    }

    /**
     * @return requests whose commands went into the ring.
     */
    public long requestsServed()
    {
        return counters.getLongVolatile(REQUESTS_OFFSET);
    }

    /**
     * @return CERROR_ATC_INV_SYNC errors acknowledged so that the device retried the sync.
     */
    public long atcRetries()
    {
        return counters.getLongVolatile(ATC_RETRIES_OFFSET);
    }

    /**
     * Waits for the group's sync; see the class comment for the error handling.
     */
    private int awaitSync(final int groupStart, final int syncProd, final int syncSlot, final int syncValue)
    {
        if (syncDone(syncProd, syncSlot, syncValue))
        {
            return IssueStatus.OK;
        }
        final IdleStrategy idle = writerIdle != null ? writerIdle : wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        boolean atcFailing = false;
        while (true)
        {
            if (closed)
            {
                return IssueStatus.CLOSED;
            }
            final int gerror = registers.getGerrorAcquire();
            final int gerrorn = registers.getGerrornAcquire();
            if ((GlobalError.active(gerror, gerrorn) & GlobalError.CMDQ_ERR) != 0)
            {
                final int cons = registers.getConsAcquire();
                final int code = ConsRegister.err(cons);
                final int at = cons & wrapIndexMask;
                if (code == CommandError.ATC_INV_SYNC &&
                    completion.isCompletion(ring, (at & indexMask) << RingMemory.ENTRY_SHIFT))
                {
                    // Acknowledge CMDQ_ERR only: the device restarts at CONS and retries the sync.
                    registers.putGerrornRelease((gerrorn & ~GlobalError.CMDQ_ERR) | (gerror & GlobalError.CMDQ_ERR));
                    increment(ATC_RETRIES_OFFSET, 1);
                    atcFailing = true;
                }
                else if (code != CommandError.NONE &&
                    QueueIndex.distance(groupStart, at, log2Size) <= QueueIndex.distance(groupStart, syncProd, log2Size))
                {
                    return IssueStatus.COMMAND_ERROR;
                }
            }
            if (syncDone(syncProd, syncSlot, syncValue))
            {
                return IssueStatus.OK;
            }
            if (writeBack && writeBackLost(syncProd, syncSlot, syncValue))
            {
                return IssueStatus.COMMAND_ERROR;
            }
            if (wait.expired(deadline))
            {
                return atcFailing ? IssueStatus.COMMAND_ERROR : IssueStatus.TIMEOUT;
            }
            idle.idle();
        }
    }

    private boolean syncDone(final int syncProd, final int syncSlot, final int syncValue)
    {
        if (writeBack)
        {
            return ring.getIntAcquire(syncSlot) == syncValue;
        }
        return QueueIndex.consumedPast(registers.getConsAcquire() & wrapIndexMask, syncProd, log2Size);
    }

    /**
     * The device writes the word before it moves CONS past the entry: CONS past it with the word (read
     * after CONS) still unwritten means the write-back was dropped and will never come.
     */
    private boolean writeBackLost(final int syncProd, final int syncSlot, final int syncValue)
    {
        return QueueIndex.consumedPast(registers.getConsAcquire() & wrapIndexMask, syncProd, log2Size) &&
            ring.getIntAcquire(syncSlot) != syncValue;
    }

    private int failQueued(final int status)
    {
        int failed = 0;
        DispatchRequest request;
        while ((request = handoff.relaxedPoll()) != null)
        {
            if (!request.casState(DispatchRequest.PENDING, status))
            {
                request.soState(DispatchRequest.FREE);
            }
            failed++;
        }
        return failed;
    }

    private void increment(final int offset, final long delta)
    {
        if (delta != 0)
        {
            counters.putLongRelease(offset, counters.getLong(offset) + delta);
        }
    }
}
