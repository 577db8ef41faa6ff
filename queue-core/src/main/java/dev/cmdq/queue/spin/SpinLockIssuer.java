package dev.cmdq.queue.spin;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.CompletionWaiter;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The baseline: one spin lock around reserve, write and publish — the scheme Linux replaced in 2019
 * (smmuv3-cmdq.md §4.6) — done as well as a careful engineer would, so it is a fair comparison.
 *
 * <pre>
 *  issue(cmds[0..n), sync):
 *    lock      test-and-test-and-set: read until free, then one CAS; back off between reads
 *    reserve   k = n + sync slots from the cached CONS; re-read CONS only when short (MMIO is costly),
 *              and never over a slot whose completion a waiter has not observed yet ("held")
 *    write     n commands as 16-byte moves; completion entry; hold its slot
 *    publish   PROD := end (release) — every call publishes its own batch
 *    unlock    release store
 *    wait      outside the lock: completion word (write-back) or CONS; then release the hold
 * </pre>
 *
 * <p><b>Held slots.</b> The sync wait happens outside the lock, so other callers keep inserting while a
 * caller waits. Without care they could lap the ring and overwrite the waiter's completion entry before
 * the waiter saw it complete (it would then wait for a word that never comes, or — with CONS polling —
 * misjudge "consumed past" after CONS lapped it). So each pending completion's slot is marked in an
 * off-heap bitmap, and a reservation never covers a marked slot; the waiter clears the mark when it is
 * done (also on timeout: the device writes the word before it moves CONS past the entry, and a slot is
 * reused only after CONS passed it, so a late write-back can never land on a newer entry).
 *
 * <p><b>Waits.</b> Waiting for the lock, for space and for completion backs off with the
 * {@link WaitPolicy}'s per-thread idle strategy and is bounded by its timeout; each returns
 * {@link IssueStatus#TIMEOUT} having inserted nothing (lock, space) or having inserted the commands
 * (completion). The hot path allocates nothing.
 */
public final class SpinLockIssuer implements CommandIssuer
{
    /** Smallest ring: 2^7 = 128 entries, so a full batch and its sync (65 slots) always fit. */
    public static final int MIN_LOG2_SIZE = 7;

    private static final int LINE = 128;
    private static final int LOCK_OFFSET = LINE;
    private static final int HELD_MAP_OFFSET = 2 * LINE;

    private final RingMemory memory;
    private final AtomicBuffer ring;
    private final QueueRegisters registers;
    private final CompletionEntry completion;
    private final boolean writeBack;
    private final WaitPolicy wait;
    private final CompletionWaiter waiter;
    private final AtomicBuffer state;
    private final int log2Size;
    private final int indexMask;
    private final int wrapIndexMask;
    private final long deviceAddress;
    private volatile boolean closed;

    /** Guarded by the lock: PROD value just past the last reserved slot (= PROD last written). */
    private int claimed;
    /** Guarded by the lock: the CONS last read from the register (index and wrap). */
    private int cachedCons;

    /**
     * Builds the issuer with Linux's wait policy (1 s, spin then back off).
     *
     * @param memory         the ring, at least 2^{@value #MIN_LOG2_SIZE} entries; retained until close.
     * @param registers      the queue's registers; PROD and CONS are read once for the initial state.
     * @param completion     how completion entries are written.
     * @param completionWait how sync callers wait for completion.
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public SpinLockIssuer(
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
     * @param completion     how completion entries are written.
     * @param completionWait how sync callers wait for completion.
     * @param wait           back-off and bound of every wait.
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small, or the
     *                                  completion format when its write-back could not be observed.
     * @throws IllegalStateException    if PROD and CONS are more than a ring apart.
     */
    public SpinLockIssuer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.registers = Objects.requireNonNull(registers, "registers");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.writeBack = Objects.requireNonNull(completionWait, "completionWait") == CompletionWait.WRITE_BACK;
        this.wait = Objects.requireNonNull(wait, "wait");
        this.log2Size = memory.log2Size();
        if (log2Size < MIN_LOG2_SIZE || log2Size > QueueIndex.MAX_LOG2_SIZE)
        {
            throw new IllegalArgumentException("log2Size=" + log2Size + " outside [" + MIN_LOG2_SIZE + ", " +
                QueueIndex.MAX_LOG2_SIZE + "]: a full batch and its sync (65 entries) must fit");
        }
        this.indexMask = QueueIndex.indexMask(log2Size);
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        if (writeBack)
        {
            CompletionEntry.requireObservableWriteBack(completion, memory.deviceAddress());
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
        // Freed by the garbage collector, never explicitly, so a late caller cannot touch freed memory.
        this.state = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            HELD_MAP_OFFSET + (QueueIndex.capacity(log2Size) >>> 3) + LINE, LINE));
        state.putIntVolatile(LOCK_OFFSET, 0);

        memory.retain();
        this.ring = memory.buffer();
        this.deviceAddress = memory.deviceAddress();
        this.waiter = new CompletionWaiter(ring, registers, log2Size, wait);
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT} or {@link IssueStatus#CLOSED}.
     * @throws IllegalArgumentException naming {@code count} or {@code offset} when out of range.
     */
    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
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
        if (count == 0 && !sync)
        {
            return IssueStatus.OK;
        }
        if (closed)
        {
            return IssueStatus.CLOSED;
        }
        final int k = count + (sync ? 1 : 0);

        if (!lock())
        {
            return closed ? IssueStatus.CLOSED : IssueStatus.TIMEOUT;
        }
        final int syncProd;
        final int syncSlot;
        final int syncValue;
        try
        {
            final int status = reserve(k);
            if (status != IssueStatus.OK)
            {
                return status;
            }
            int position = claimed;
            for (int i = 0, src = offset; i < count; i++, src += RingMemory.ENTRY_BYTES)
            {
                final int slot = (position & indexMask) << RingMemory.ENTRY_SHIFT;
                ring.putLong(slot, commands.getLong(src));
                ring.putLong(slot + 8, commands.getLong(src + 8));
                position = (position + 1) & wrapIndexMask;
            }
            syncProd = position;
            syncSlot = (syncProd & indexMask) << RingMemory.ENTRY_SHIFT;
            if (sync)
            {
                completion.write(ring, syncSlot, writeBack ? deviceAddress + syncSlot : CompletionEntry.NO_WRITE_BACK);
                syncValue = writeBack ? completion.writeBackValue(ring, syncSlot) : 0;
                hold(syncProd);
                position = (position + 1) & wrapIndexMask;
            }
            else
            {
                syncValue = 0;
            }
            claimed = position;
            registers.putProdRelease(position);
        }
        finally
        {
            unlock();
        }

        if (!sync)
        {
            return IssueStatus.OK;
        }
        final int status;
        if (writeBack)
        {
            status = waiter.awaitWriteBack(syncSlot, syncValue);
        }
        else
        {
            final int consOrStatus = waiter.awaitConsumedPast(syncProd);
            status = consOrStatus >= 0 ? IssueStatus.OK : consOrStatus;
        }
        unhold(syncProd);
        return status;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return writeBack ? "spin-lock" : "spin-lock-cons-poll";
    }

    /**
     * Stops accepting calls; callers waiting for the lock, space or completion return
     * {@link IssueStatus#CLOSED}. Releases the ring: call it once callers have stopped issuing.
     * Idempotent.
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
     * @return the lock word (0 free, 1 held), for diagnostics and tests.
     */
    public int lockValue()
    {
        return state.getIntVolatile(LOCK_OFFSET);
    }

    /**
     * Test-and-test-and-set: a CAS only when a plain read saw the lock free, so waiters spin on a shared
     * cache line instead of bouncing it; back off between reads; bounded.
     */
    private boolean lock()
    {
        if (lvLock() == 0 && casLock())
        {
            return true;
        }
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (true)
        {
            idle.idle();
            if (lvLock() == 0 && casLock())
            {
                return true;
            }
            if (closed || wait.expired(deadline))
            {
                return false;
            }
        }
    }

    private void unlock()
    {
        state.putIntRelease(LOCK_OFFSET, 0);
    }

    private int lvLock()
    {
        return state.getIntVolatile(LOCK_OFFSET);
    }

    private boolean casLock()
    {
        return state.compareAndSetInt(LOCK_OFFSET, 0, 1);
    }

    /**
     * Under the lock: makes sure {@code k} slots from {@link #claimed} are free and none is held,
     * re-reading CONS only when the cached value is not enough.
     */
    private int reserve(final int k)
    {
        if (QueueIndex.hasSpace(claimed, cachedCons, k, log2Size) && !anyHeld(claimed, k))
        {
            return IssueStatus.OK;
        }
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (true)
        {
            cachedCons = registers.getConsAcquire() & wrapIndexMask;
            if (QueueIndex.hasSpace(claimed, cachedCons, k, log2Size) && !anyHeld(claimed, k))
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

    /**
     * @return true when a slot of {@code [from, from + k)} holds a completion a waiter has not observed.
     */
    private boolean anyHeld(final int from, final int k)
    {
        int idx = from & indexMask;
        int left = k;
        while (left > 0)
        {
            final int bit = idx & 63;
            final int limit = Math.min(64, bit + left);
            final long mask = (limit == 64 ? -1L : (1L << limit) - 1) & (-1L << bit);
            if ((state.getLongAcquire(heldWord(idx)) & mask) != 0)
            {
                return true;
            }
            left -= limit - bit;
            idx = (idx + limit - bit) & indexMask;
        }
        return false;
    }

    /** The bit is clear (a held slot is never reserved), so adding it is an exact atomic OR. */
    private void hold(final int position)
    {
        final int idx = position & indexMask;
        state.getAndAddLong(heldWord(idx), 1L << (idx & 63));
    }

    /** The bit is set (only its waiter clears it), so subtracting it is an exact atomic AND-NOT. */
    private void unhold(final int position)
    {
        final int idx = position & indexMask;
        state.getAndAddLong(heldWord(idx), -(1L << (idx & 63)));
    }

    private static int heldWord(final int idx)
    {
        return HELD_MAP_OFFSET + ((idx >>> 6) << 3);
    }
}
