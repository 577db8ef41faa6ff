package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.CompletionWaiter;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Linux's lock-free multi-producer insertion, {@code arm_smmu_cmdq_issue_cmdlist} (smmuv3-cmdq.md §4.2),
 * on an off-heap ring: any number of threads insert batches concurrently; one of them at a time — the
 * <em>owner</em> — publishes the batches of everybody who reserved during its round with one PROD write.
 *
 * <pre>
 *  issue(cmds[0..n), sync):                      k = n + (sync ? 1 : 0)
 *   1 reserve  : CAS llq {prod, cons} -&gt; {prod + k | OWNED, cons}    (wait for space: waitUntilNotFull)
 *                owner = OWNED was clear before us; [start, end) = our slots
 *   2 write    : n commands (16-byte moves); if sync: completion entry at start+n, then lock SHARED
 *   3 publish  : flip the valid bits of [start, end)                (atomic; entries ordered before)
 *   4 owner    : a wait owner_prod == start                          (previous owner wrote PROD)
 *                b gatheredEnd = llq.prod before clearing OWNED     (atomic add on the whole word)
 *                c wait every slot of [start, gatheredEnd) valid    (other callers finished writing)
 *                d PROD := gatheredEnd                              (the only PROD write; release)
 *                e owner_prod := gatheredEnd                        (release; after d so PROD never goes back)
 *   5 sync     : wait for the completion (write-back word or CONS); if last shared holder, store the
 *                observed CONS into llq.cons; unlock shared
 * </pre>
 *
 * <p><b>Guarantees</b> (those of {@link CommandIssuer}): the commands of one call are contiguous and in
 * order; with sync, the call returns {@link IssueStatus#OK} only after the device consumed its completion
 * entry, so after every command before it. The software CONS moves only by the exclusive refresh on a
 * full queue or by the last sync waiter, and the cmdq lock ({@link CmdqLock}) keeps it from moving while
 * any sync waiter exists, so a waiter's slot cannot be reused and its "consumed past" test stays valid.
 *
 * <p><b>Sizes.</b> Like Linux's probe, this refuses rings of 64 or fewer entries (log2Size below
 * {@value #MIN_LOG2_SIZE}): one full batch plus its sync (65 slots) must always fit; the valid map also
 * needs a multiple of 64 slots.
 *
 * <p><b>Waits.</b> Every wait backs off with the {@link WaitPolicy}'s per-thread idle strategy and is
 * bounded by its timeout (Linux: 1 s). Waiting for space or for completion returns
 * {@link IssueStatus#TIMEOUT} and leaves the queue usable (a call that timed out waiting for space
 * inserted nothing; one that timed out waiting for its completion inserted its commands). Waits inside
 * the owner steps (4a, 4c) wait for other callers' critical sections, which Linux waits for without a
 * bound; here they are bounded too, and when one runs out the issuer declares itself
 * {@link IssueStatus#BROKEN}, because the slots involved may never be published.
 *
 * <p><b>Deviations from Linux</b>, each documented where it occurs: every atomic on the packed word is
 * 64-bit ({@link ProdCons}); the valid-map flip is an atomic add, exact under the once-per-lap invariant
 * ({@link ValidMap}); the software CONS only moves forward, because a device may make a write-back
 * visible before it moves CONS ({@code CmdqState.advanceCons}); waiting for space backs off between
 * exclusive refreshes (Linux retries at once) under one deadline for the whole reservation; a sync whose
 * write-back wait timed out stores no unobserved CONS (Linux stores {@code sync_prod}); a shared-lock
 * wait that times out still publishes the reserved slots and returns {@link IssueStatus#TIMEOUT} without
 * waiting.
 *
 * <p><b>Sharing.</b> The usual constructors give each issuer a state of its own, reset from PROD and
 * CONS. The {@link SharedCmdqState} constructor joins a state that other issuers use too, in this or
 * other processes mapping the same memory, and tells a {@link ClaimJournal} each step of each call, so a
 * survivor can finish the work of a caller that died (see {@code dev.cmdq.queue.mapped}); with
 * {@link ClaimJournal#NONE} every step is the same as without it.
 *
 * <p><b>Memory.</b> The queue state lives off-heap ({@code CmdqState}); the ring is retained until
 * {@link #close()}. The hot path allocates nothing (a thread's first wait creates its idle strategy).
 */
public final class LinuxCmdqIssuer implements CommandIssuer
{
    /** Smallest ring: 2^7 = 128 entries (Linux refuses 2^L &lt;= 64). */
    public static final int MIN_LOG2_SIZE = 7;
    /** Pause of the test-only lock-order fault and its control (see {@code Fault}). */
    private static final long PAUSE_NS = 200_000;

    private final RingMemory memory;
    private final AtomicBuffer ring;
    private final QueueRegisters registers;
    private final CompletionEntry completion;
    private final boolean writeBack;
    private final WaitPolicy wait;
    private final CmdqState state;
    private final CmdqLock lock;
    private final ValidMap validMap;
    private final int log2Size;
    private final int indexMask;
    private final int wrapIndexMask;
    private final long deviceAddress;
    private final Fault fault;
    private final CompletionWaiter waiter;
    private final ClaimJournal journal;
    /** False for {@link ClaimJournal#NONE}: the in-process issuer then runs without any journal call. */
    private final boolean journaled;
    private volatile boolean closed;
    private volatile boolean broken;

    /**
     * Builds the issuer with Linux's wait policy (1 s, spin then back off).
     *
     * @param memory         the ring, at least 2^{@value #MIN_LOG2_SIZE} entries; retained until close.
     * @param registers      the queue's registers; PROD and CONS are read once for the initial state.
     * @param completion     how completion entries (CMD_SYNC) are written.
     * @param completionWait how sync callers wait for completion.
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small, or the
     *                                  completion format when its write-back could not be observed.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public LinuxCmdqIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait)
    {
        this(memory, registers, completion, completionWait, WaitPolicy.linuxDefault());
    }

    /**
     * @param memory         the ring, at least 2^{@value #MIN_LOG2_SIZE} entries; retained until close.
     * @param registers      the queue's registers; PROD and CONS are read once for the initial state.
     * @param completion     how completion entries (CMD_SYNC) are written.
     * @param completionWait how sync callers wait for completion.
     * @param wait           back-off and bound of every wait.
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small, or the
     *                                  completion format when its write-back could not be observed.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public LinuxCmdqIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait)
    {
        this(memory, registers, completion, completionWait, wait, null, Fault.NONE);
    }

    /**
     * Test seam: an injected state buffer (e.g. a recording one) and a deliberate fault.
     */
    LinuxCmdqIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final AtomicBuffer stateBuffer,
        final Fault fault)
    {
        this(memory, registers, completion, completionWait, wait, stateBuffer, null, ClaimJournal.NONE, fault);
    }

    /**
     * Builds an issuer that <em>joins</em> a queue state shared with other issuers, possibly in other
     * processes that map the same memory: nothing of the state is reset or derived from the registers,
     * and every step is told to {@code journal}, so that survivors can repair a caller that dies.
     *
     * @param memory         the ring, at least 2^{@value #MIN_LOG2_SIZE} entries; retained until close.
     * @param registers      the queue's registers (the same ones every party uses).
     * @param completion     how completion entries (CMD_SYNC) are written.
     * @param completionWait how sync callers wait for completion.
     * @param wait           back-off and bound of every wait.
     * @param state          the shared state, initialised once by whoever set the queue up.
     * @param journal        told every step of every call; {@link ClaimJournal#NONE} records nothing.
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small or the state was
     *                                  made for another size, or the completion format when its
     *                                  write-back could not be observed.
     */
    public LinuxCmdqIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final SharedCmdqState state,
        final ClaimJournal journal)
    {
        this(memory, registers, completion, completionWait, wait, null, Objects.requireNonNull(state, "state"),
            Objects.requireNonNull(journal, "journal"), Fault.NONE);
    }

    private LinuxCmdqIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final AtomicBuffer stateBuffer,
        final SharedCmdqState shared,
        final ClaimJournal journal,
        final Fault fault)
    {
        this.journal = journal;
        this.journaled = journal != ClaimJournal.NONE;
        this.memory = Objects.requireNonNull(memory, "memory");
        this.registers = Objects.requireNonNull(registers, "registers");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.writeBack = Objects.requireNonNull(completionWait, "completionWait") == CompletionWait.WRITE_BACK;
        this.wait = Objects.requireNonNull(wait, "wait");
        this.fault = Objects.requireNonNull(fault, "fault");
        this.log2Size = checkLog2Size(memory.log2Size());
        this.indexMask = QueueIndex.indexMask(log2Size);
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        if (writeBack)
        {
            CompletionEntry.requireObservableWriteBack(completion, memory.deviceAddress());
        }

        if (shared == null)
        {
            final int prod = registers.getProdAcquire() & wrapIndexMask;
            final int cons = registers.getConsAcquire() & wrapIndexMask;
            final int free = QueueIndex.freeSpace(prod, cons, log2Size);
            if (free < 0 || free > QueueIndex.capacity(log2Size))
            {
                throw new IllegalStateException("PROD=0x" + Integer.toHexString(prod) + " and CONS=0x" +
                    Integer.toHexString(cons) + " are more than a ring apart for log2Size=" + log2Size);
            }
            this.state = stateBuffer == null ? CmdqState.allocate(log2Size) : new CmdqState(stateBuffer, log2Size);
            state.reset(prod, cons);
        }
        else
        {
            if (shared.validMap().log2Size() != log2Size)
            {
                throw new IllegalArgumentException("log2Size=" + log2Size + " of the ring, but the shared state is for log2Size=" +
                    shared.validMap().log2Size());
            }
            this.state = shared.state();
        }
        this.lock = state.lock();
        this.validMap = state.validMap();

        memory.retain();
        this.ring = memory.buffer();
        this.deviceAddress = memory.deviceAddress();
        this.waiter = new CompletionWaiter(ring, registers, log2Size, wait);
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT}, {@link IssueStatus#CLOSED} or
     *         {@link IssueStatus#BROKEN}.
     * @throws IllegalArgumentException naming {@code count} or {@code offset} when out of range (checked
     *                                  before anything is reserved).
     */
    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        checkArguments(commands, offset, count);
        if (count == 0 && !sync)
        {
            return IssueStatus.OK;
        }
        if (broken)
        {
            return IssueStatus.BROKEN;
        }
        if (closed)
        {
            return IssueStatus.CLOSED;
        }
        final int k = count + (sync ? 1 : 0);
        final int handle = journaled ? journal.begin() : 0;

        // Step 1: reserve k slots with one 64-bit CAS on {prod | OWNED, cons}.
        long snapshot = state.lvProdCons();
        long head;
        long deadline = 0;
        int spaceWaits = 0;
        while (true)
        {
            final int prod = ProdCons.prod(snapshot);
            if (!QueueIndex.hasSpace(prod, ProdCons.cons(snapshot), k, log2Size))
            {
                if (spaceWaits++ == 0)
                {
                    deadline = wait.deadline();
                    wait.idle().reset();
                }
                final int status = waitUntilNotFull(deadline, spaceWaits > 1, handle);
                if (status != IssueStatus.OK)
                {
                    if (journaled)
                    {
                        journal.end(handle);
                    }
                    return status;
                }
                snapshot = state.lvProdCons();
                continue;
            }
            head = ProdCons.withProd(snapshot, QueueIndex.advance(prod, k, log2Size) | ProdCons.OWNED);
            if (journaled)
            {
                journal.reserving(handle, snapshot, k);
            }
            final long witness = state.caeProdCons(snapshot, head);
            if (witness == snapshot)
            {
                break;
            }
            snapshot = witness;
        }
        final boolean owner = !ProdCons.isOwned(ProdCons.prod(snapshot));
        final int start = ProdCons.withoutOwned(ProdCons.prod(snapshot));
        final int end = ProdCons.withoutOwned(ProdCons.prod(head));
        if (journaled)
        {
            journal.claimed(handle, start, end, owner);
        }

        // Step 2: write the commands, then the completion entry, then take the lock shared.
        if (fault == Fault.PROD_BEFORE_VALID)
        {
            Thread.yield();
        }
        int position = start;
        for (int i = 0, src = offset; i < count; i++, src += RingMemory.ENTRY_BYTES)
        {
            final int slot = (position & indexMask) << RingMemory.ENTRY_SHIFT;
            ring.putLong(slot, commands.getLong(src));
            ring.putLong(slot + 8, commands.getLong(src + 8));
            position = (position + 1) & wrapIndexMask;
        }
        final int syncProd = position;
        final int syncSlot = (syncProd & indexMask) << RingMemory.ENTRY_SHIFT;
        int syncValue = 0;
        boolean shared = false;
        if (sync)
        {
            completion.write(ring, syncSlot, writeBack ? deviceAddress + syncSlot : CompletionEntry.NO_WRITE_BACK);
            syncValue = writeBack ? completion.writeBackValue(ring, syncSlot) : 0;
            if (fault != Fault.SHARED_LOCK_AFTER_PUBLISH)
            {
                if (journaled)
                {
                    journal.sharedLocking(handle);
                }
                shared = lock.sharedLock(wait);
                if (journaled)
                {
                    journal.sharedLocked(handle, shared);
                }
            }
        }

        // Step 3: publish our slots in the valid map (the atomic flip orders the entry stores before it).
        validMap.publish(start, end);
        if (journaled)
        {
            journal.published(handle);
        }
        if (sync && (fault == Fault.SHARED_LOCK_AFTER_PUBLISH || fault == Fault.PAUSE_AFTER_PUBLISH))
        {
            LockSupport.parkNanos(PAUSE_NS);
            if (fault == Fault.SHARED_LOCK_AFTER_PUBLISH)
            {
                if (journaled)
                {
                    journal.sharedLocking(handle);
                }
                shared = lock.sharedLock(wait);
                if (journaled)
                {
                    journal.sharedLocked(handle, shared);
                }
            }
        }

        // Step 4: the owner gathers everything reserved since its own reservation and writes PROD once.
        if (owner)
        {
            final int status = publishAsOwner(start, handle);
            if (status != IssueStatus.OK)
            {
                if (shared)
                {
                    if (journaled)
                    {
                        journal.sharedUnlocking(handle);
                    }
                    lock.sharedUnlock();
                    if (journaled)
                    {
                        journal.sharedUnlocked(handle);
                    }
                }
                if (journaled)
                {
                    journal.end(handle);
                }
                return status;
            }
        }

        // Step 5: wait for our completion; the last shared holder publishes the CONS it observed.
        if (!sync)
        {
            if (journaled)
            {
                journal.end(handle);
            }
            return IssueStatus.OK;
        }
        if (!shared)
        {
            if (journaled)
            {
                journal.end(handle);
            }
            return IssueStatus.TIMEOUT;
        }
        final int status;
        final int observedCons;
        if (writeBack)
        {
            status = waiter.awaitWriteBack(syncSlot, syncValue);
            observedCons = QueueIndex.advance(syncProd, 1, log2Size);
        }
        else
        {
            final int consOrStatus = waiter.awaitConsumedPast(syncProd);
            status = consOrStatus >= 0 ? IssueStatus.OK : consOrStatus;
            observedCons = consOrStatus;
        }
        if (journaled)
        {
            journal.sharedUnlocking(handle);
        }
        if (!lock.sharedTryUnlock())
        {
            if (status == IssueStatus.OK)
            {
                storeCons(observedCons);
            }
            lock.sharedUnlock();
        }
        if (journaled)
        {
            journal.sharedUnlocked(handle);
        }
        if (journaled)
        {
            journal.end(handle);
        }
        return status;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return writeBack ? "linux-lockfree" : "linux-lockfree-cons-poll";
    }

    /**
     * Stops accepting calls; callers waiting for space or completion return {@link IssueStatus#CLOSED}.
     * Releases the ring: call it once callers have stopped issuing. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            waiter.close();
            memory.release();
        }
    }

    /**
     * @return the packed {prod|OWNED, cons} word, for diagnostics and tests.
     */
    public long prodCons()
    {
        return state.lvProdCons();
    }

    /**
     * @return the cmdq lock counter (0 when nobody holds it), for diagnostics and tests.
     */
    public int lockValue()
    {
        return lock.value();
    }

    /**
     * @return {@code owner_prod}, for diagnostics and tests.
     */
    public int ownerProd()
    {
        return state.lvOwnerProd();
    }

    /**
     * @return true once a critical wait ran out (see {@link IssueStatus#BROKEN}).
     */
    public boolean isBroken()
    {
        return broken;
    }

    /**
     * Step 4, a to e.
     */
    private int publishAsOwner(final int start, final int handle)
    {
        final IdleStrategy idle = wait.idle();
        long deadline = 0;

        // a: the previous owner has written PROD up to our start.
        if (state.lvOwnerProd() != start)
        {
            idle.reset();
            deadline = wait.deadline();
            do
            {
                if (closed)
                {
                    return IssueStatus.CLOSED;
                }
                if (wait.expired(deadline))
                {
                    broken = true;
                    return IssueStatus.BROKEN;
                }
                idle.idle();
            }
            while (state.lvOwnerProd() != start);
        }

        // b: stop gathering. We set OWNED, only we clear it, so subtracting 2^31 is an exact and-not.
        if (journaled)
        {
            journal.gathering(handle);
        }
        final int gatheredEnd = ProdCons.withoutOwned(ProdCons.prod(state.getAndAddProdCons(ProdCons.CLEAR_OWNED)));
        if (journaled)
        {
            journal.gathered(handle, gatheredEnd);
        }

        // c: wait until every gathered slot is valid (our own and later reservers').
        if (fault != Fault.PROD_BEFORE_VALID)
        {
            int from = validMap.firstInvalid(start, gatheredEnd);
            if (from != gatheredEnd)
            {
                idle.reset();
                if (deadline == 0)
                {
                    deadline = wait.deadline();
                }
                do
                {
                    if (closed)
                    {
                        return IssueStatus.CLOSED;
                    }
                    if (wait.expired(deadline))
                    {
                        broken = true;
                        return IssueStatus.BROKEN;
                    }
                    idle.idle();
                    from = validMap.firstInvalid(from, gatheredEnd);
                }
                while (from != gatheredEnd);
            }
        }

        if (fault == Fault.OWNER_PROD_BEFORE_PROD)
        {
            state.soOwnerProd(gatheredEnd);
            Thread.yield();
            registers.putProdRelease(gatheredEnd);
            if (journaled)
            {
                journal.handedOver(handle);
            }
            return IssueStatus.OK;
        }
        // d: the one PROD write of this round; e: hand over, after d so PROD never moves backwards.
        registers.putProdRelease(gatheredEnd);
        state.soOwnerProd(gatheredEnd);
        if (journaled)
        {
            journal.handedOver(handle);
        }
        return IssueStatus.OK;
    }

    /**
     * Linux's {@code arm_smmu_cmdq_poll_until_not_full}: whoever gets the lock exclusively refreshes the
     * software CONS from the hardware and returns at once; the others wait for the software CONS to show
     * a not-full queue. Unlike Linux, repeated calls within one reservation back off first.
     *
     * @param deadline   bound of the whole reservation.
     * @param backOff    whether to idle before trying (not on the first call of a reservation).
     * @return OK to re-check the space, or TIMEOUT / CLOSED.
     */
    private int waitUntilNotFull(final long deadline, final boolean backOff, final int handle)
    {
        final IdleStrategy idle = wait.idle();
        if (backOff)
        {
            if (wait.expired(deadline))
            {
                return IssueStatus.TIMEOUT;
            }
            idle.idle();
        }
        if (closed)
        {
            return IssueStatus.CLOSED;
        }
        if (journaled)
        {
            journal.exclusiveTrying(handle);
        }
        final boolean taken = lock.exclusiveTryLock();
        if (journaled)
        {
            journal.exclusiveLocked(handle, taken);
        }
        if (taken)
        {
            storeCons(registers.getConsAcquire() & wrapIndexMask);
            if (journaled)
            {
                journal.exclusiveUnlocking(handle);
            }
            lock.exclusiveUnlock();
            if (journaled)
            {
                journal.exclusiveUnlocked(handle);
            }
            return IssueStatus.OK;
        }
        while (true)
        {
            final long word = state.lvProdCons();
            if (!QueueIndex.isFull(ProdCons.prod(word), ProdCons.cons(word), log2Size))
            {
                return IssueStatus.OK;
            }
            if (closed)
            {
                return IssueStatus.CLOSED;
            }
            if (wait.expired(deadline))
            {
                return IssueStatus.TIMEOUT;
            }
            idle.idle();
        }
    }

    private void storeCons(final int cons)
    {
        if (fault == Fault.PLAIN_CONS_STORE)
        {
            state.storeCons(cons);
        }
        else
        {
            state.advanceCons(cons, log2Size);
        }
    }

    private void checkArguments(final DirectBuffer commands, final int offset, final int count)
    {
        if (count < 0 || count > MAX_COMMANDS)
        {
            throw new IllegalArgumentException("count=" + count + " outside [0, " + MAX_COMMANDS + "]");
        }
        if (count > 0 && (offset < 0 || offset > commands.capacity() - count * RingMemory.ENTRY_BYTES))
        {
            throw new IllegalArgumentException("offset=" + offset + " with count=" + count +
                " exceeds the commands buffer of " + commands.capacity() + " bytes");
        }
    }

    private static int checkLog2Size(final int log2Size)
    {
        if (log2Size < MIN_LOG2_SIZE || log2Size > QueueIndex.MAX_LOG2_SIZE)
        {
            throw new IllegalArgumentException("log2Size=" + log2Size + " outside [" + MIN_LOG2_SIZE + ", " +
                QueueIndex.MAX_LOG2_SIZE + "]: Linux's algorithm needs more than 64 entries (a full batch and " +
                "its sync) and a multiple of 64 for the valid map");
        }
        return log2Size;
    }
}
