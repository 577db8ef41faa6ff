package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.lockfree.CmdqLock;
import dev.cmdq.queue.lockfree.ProdCons;
import dev.cmdq.queue.lockfree.SharedCmdqState;
import dev.cmdq.queue.lockfree.ValidMap;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finishes, in a dead producer's place, what it left half done in a process-shared Linux queue, from
 * its claim record ({@link ClaimRecords}): fills its unpublished slots with no-op completions
 * ({@link AbandonedClaim}), does its owner steps 4b to 4e, gives back a cmdq lock it held, then clears
 * its record and frees its lease ({@link ProducerLeases#reclaim}). The rules, and the windows they
 * cannot decide, are argued in the package documentation; each is a method here:
 * {@link #decideReservation}, {@link #decideGathered}, {@link #decideExclusive}, {@link #repairShared}.
 *
 * <p><b>One repairer at a time.</b> A 32-bit recovery lock in the file header ({@code 1 + lease} of the
 * repairing thread, 0 free) makes the holder the only writer of dead records, so every repair step is
 * done once; a holder that dies is replaced by the next repairer (its lease is dead), which resumes
 * from the records: each step first stores in the dead record what it is about to do, so a resumed
 * repair never repeats an atomic step whose effect it cannot see.
 *
 * <p><b>Never waits.</b> A repair pass does what the shared state allows now and leaves the rest for
 * the next pass, because the caller is itself inside a bounded wait and may hold slots that a dead
 * owner's round needs (the passes repeat while they make progress).
 */
final class DeadProducerRepair
{
    private static final int UNDECIDED = -1;
    private static final int NO = 0;
    private static final int YES = 1;

    private final AtomicBuffer ring;
    private final int log2Size;
    private final int wrapIndexMask;
    private final QueueRegisters registers;
    private final ProducerLeases leases;
    private final ClaimRecords records;
    private final SharedCmdqState state;
    private final CmdqLock lock;
    private final ValidMap validMap;
    private final CompletionEntry completion;
    private final AtomicBuffer header;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final long[] deadWords = new long[ProducerLeases.CAPACITY];
    private final long[] first = new long[ProducerLeases.CAPACITY];
    private final long[] second = new long[ProducerLeases.CAPACITY];
    /** decideReservation's own collect: decideGathered calls it while iterating {@link #first}. */
    private final long[] reserving = new long[ProducerLeases.CAPACITY];
    /** Bit i: lease i is dead and under repair in this call. */
    private long dead;
    private int self;
    private volatile long repairs;

    /**
     * @param memory     the mapped ring file.
     * @param state      its shared cmdq state.
     * @param completion the no-op completion format.
     */
    DeadProducerRepair(final MappedRingMemory memory, final SharedCmdqState state, final CompletionEntry completion)
    {
        this.ring = memory.buffer();
        this.log2Size = memory.log2Size();
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        this.registers = memory.registers();
        this.leases = memory.leases();
        this.records = new ClaimRecords(memory.claimRecords());
        this.state = state;
        this.lock = state.lock();
        this.validMap = state.validMap();
        this.completion = completion;
        this.header = memory.header();
    }

    /**
     * @return dead producers whose repair this process finished (for tests and diagnostics).
     */
    long repairs()
    {
        return repairs;
    }

    /**
     * Looks for dead producers and repairs what can be repaired now.
     *
     * @param myLease the calling thread's lease (its own record is known to be outside every atomic
     *                step: it is waiting).
     * @return true when anything was repaired.
     */
    boolean repair(final int myLease)
    {
        if (!busy.compareAndSet(false, true))
        {
            return false;
        }
        try
        {
            if (!findDead(myLease) || !lockRecovery(myLease))
            {
                return false;
            }
            try
            {
                self = myLease;
                // Re-read under the lock: a repairer before us may have finished some of them.
                for (long bits = dead; bits != 0; bits &= bits - 1)
                {
                    final int lease = Long.numberOfTrailingZeros(bits);
                    if (leases.holder(lease) != deadWords[lease])
                    {
                        dead &= ~(1L << lease);
                    }
                }
                boolean any = false;
                boolean progress;
                do
                {
                    progress = false;
                    for (long bits = dead; bits != 0; bits &= bits - 1)
                    {
                        progress |= repairOne(Long.numberOfTrailingZeros(bits));
                    }
                    progress |= repairShared();
                    any |= progress;
                }
                while (progress && dead != 0);
                if (any)
                {
                    refreshCons();
                }
                return any;
            }
            finally
            {
                header.putIntRelease(RingFileLayout.RECOVERY_LOCK_OFFSET, 0);
            }
        }
        finally
        {
            busy.set(false);
        }
    }

    private boolean findDead(final int myLease)
    {
        dead = 0;
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            final long word = leases.holder(lease);
            if (lease != myLease && word != 0 && !ProducerLeases.isAlive(word))
            {
                deadWords[lease] = word;
                dead |= 1L << lease;
            }
        }
        return dead != 0;
    }

    private boolean lockRecovery(final int myLease)
    {
        final int value = header.getIntVolatile(RingFileLayout.RECOVERY_LOCK_OFFSET);
        if (value == 0)
        {
            return header.compareAndSetInt(RingFileLayout.RECOVERY_LOCK_OFFSET, 0, myLease + 1);
        }
        final long holder = leases.holder(value - 1);
        if (holder == 0 || !ProducerLeases.isAlive(holder))
        {
            // The repairer died (or was already repaired): take over; the records say where it was.
            return header.compareAndSetInt(RingFileLayout.RECOVERY_LOCK_OFFSET, value, myLease + 1);
        }
        return false;
    }

    /**
     * Repairs what it can of one dead producer's record.
     *
     * @return true when the record changed.
     */
    private boolean repairOne(final int lease)
    {
        boolean changed = false;
        boolean claimPending = false;
        long r = records.lv(lease);
        while (!claimPending)
        {
            final int phase = ClaimRecords.phase(r);
            final int start = ClaimRecords.start(r);
            final int end = ClaimRecords.end(r);
            long next = r;
            switch (phase)
            {
                case ClaimRecords.RESERVING:
                {
                    final int claimed = decideReservation(lease, start);
                    if (claimed == YES)
                    {
                        next = ClaimRecords.withPhase(r, ClaimRecords.CLAIMED);
                    }
                    else if (claimed == NO)
                    {
                        next = ClaimRecords.withClaim(r, ClaimRecords.IDLE, 0, 0, false);
                    }
                    break;
                }
                case ClaimRecords.CLAIMED:
                    AbandonedClaim.fill(ring, log2Size, validMap, completion, start, end);
                    next = ClaimRecords.withPhase(r, ClaimRecords.PUBLISHED);
                    break;
                case ClaimRecords.PUBLISHED:
                    if (!ClaimRecords.owner(r))
                    {
                        next = ClaimRecords.withClaim(r, ClaimRecords.IDLE, 0, 0, false);
                    }
                    else if (state.lvOwnerProd() == start)
                    {
                        // It never recorded GATHERING, so it never cleared OWNED: its round still holds it.
                        records.so(lease, ClaimRecords.withPhase(r, ClaimRecords.GATHERING));
                        final int gatheredEnd = ProdCons.withoutOwned(state.getAndClearOwned());
                        next = ClaimRecords.withEnd(ClaimRecords.withPhase(records.lv(lease), ClaimRecords.GATHERED), gatheredEnd);
                    }
                    break;
                case ClaimRecords.GATHERING:
                {
                    int gatheredEnd = decideGathered(lease, start);
                    if (gatheredEnd == UNDECIDED)
                    {
                        // OWNED still belongs to its round: clear it in its place (the record already says GATHERING).
                        gatheredEnd = ProdCons.withoutOwned(state.getAndClearOwned());
                    }
                    next = ClaimRecords.withEnd(ClaimRecords.withPhase(r, ClaimRecords.GATHERED), gatheredEnd);
                    break;
                }
                case ClaimRecords.GATHERED:
                    if (state.lvOwnerProd() != start)
                    {
                        // It wrote PROD and owner_prod and died before recording it; the next owner may be past it.
                        next = ClaimRecords.withPhase(r, ClaimRecords.HANDED_OVER);
                    }
                    else if (validMap.firstInvalid(start, end) == end)
                    {
                        registers.putProdRelease(end);
                        state.soOwnerProd(end);
                        next = ClaimRecords.withPhase(r, ClaimRecords.HANDED_OVER);
                    }
                    break;
                case ClaimRecords.HANDED_OVER:
                    next = ClaimRecords.withClaim(r, ClaimRecords.IDLE, 0, 0, false);
                    break;
                default:
                    break;
            }
            if (next == r)
            {
                claimPending = phase != ClaimRecords.IDLE;
                break;
            }
            records.so(lease, next);
            r = records.lv(lease);
            changed = true;
        }

        final int lockState = ClaimRecords.lock(r);
        int lockNext = lockState;
        switch (lockState)
        {
            case ClaimRecords.EXCLUSIVE_HELD:
                // Recorded first, so a repairer that takes over after our death decides by rule W2 instead of
                // unlocking a second time (which would set the sign bit again).
                r = ClaimRecords.withLock(r, ClaimRecords.EXCLUSIVE_UNLOCKING);
                records.so(lease, r);
                finishExclusive();
                lockNext = ClaimRecords.NONE;
                break;
            case ClaimRecords.EXCLUSIVE_TRYING:
            case ClaimRecords.EXCLUSIVE_UNLOCKING:
            {
                final int holder = decideExclusive(lease);
                if (holder == YES)
                {
                    finishExclusive();
                }
                if (holder != UNDECIDED)
                {
                    lockNext = ClaimRecords.NONE;
                }
                break;
            }
            case ClaimRecords.SHARED_HELD:
                // Recorded first for the same reason: after our death, rule W5 counts whether the decrement happened.
                r = ClaimRecords.withLock(r, ClaimRecords.SHARED_UNLOCKING);
                records.so(lease, r);
                lock.sharedUnlock();
                lockNext = ClaimRecords.NONE;
                break;
            default:
                break; // NONE, or a shared add that only repairShared can decide
        }
        if (lockNext != lockState)
        {
            records.so(lease, ClaimRecords.withLock(r, lockNext));
            r = records.lv(lease);
            changed = true;
        }

        if (!claimPending && ClaimRecords.phase(r) == ClaimRecords.IDLE && ClaimRecords.lock(r) == ClaimRecords.NONE)
        {
            if (ProducerLeases.isAlive(deadWords[lease]))
            {
                // A verdict that flipped from dead to alive since findDead. The flip CI saw (a victim reaped
                // between isAlive's questions) is fixed in ProducerLeases.isAlive; one remains possible by
                // design: the dead holder's pid reused by a process whose start time the OS does not give,
                // which isAlive must count as alive. reclaim refuses a live-looking word, so leave the lease
                // to the next scan instead of making this survivor fail.
                dead &= ~(1L << lease);
                return changed;
            }
            records.clear(lease);
            leases.reclaim(lease, deadWords[lease]);
            dead &= ~(1L << lease);
            repairs++;
            changed = true;
        }
        return changed;
    }

    /**
     * Window W1: did the dead producer's reserving CAS from prod {@code p} succeed? Only the claim
     * covering a slot in the unpublished window [PROD, llq.prod) can hold it invalid, and every claim in
     * progress has a RESERVING or CLAIMED record covering it, stored before its CAS; so when slot
     * {@code p} is in that window, invalid, and no other record covers it, the claim at {@code p} is
     * the dead one's. Reads PROD, then llq, then the records, then the valid bit, in that order.
     *
     * @return YES, NO, or UNDECIDED (another record covering {@code p} is still reserving).
     */
    private int decideReservation(final int lease, final int p)
    {
        final int prod = registers.getProdAcquire() & wrapIndexMask;
        final int llqProd = ProdCons.withoutOwned(ProdCons.prod(state.lvProdCons()));
        if (QueueIndex.distance(prod, p, log2Size) >= QueueIndex.distance(prod, llqProd, log2Size))
        {
            return NO;
        }
        collect(reserving);
        if (validMap.isValid(p))
        {
            return NO;
        }
        for (int other = 0; other < ProducerLeases.CAPACITY; other++)
        {
            final long r = reserving[other];
            final int phase = ClaimRecords.phase(r);
            if (other == lease || !covers(r, p) || other == self && phase == ClaimRecords.RESERVING)
            {
                // The caller's own RESERVING record is a failed attempt: it is waiting, not between CAS and record.
                continue;
            }
            if (phase == ClaimRecords.CLAIMED)
            {
                return NO;
            }
            if (phase == ClaimRecords.RESERVING)
            {
                return UNDECIDED;
            }
        }
        return YES;
    }

    /**
     * Window W3: a dead owner recorded GATHERING: did its step 4b (clear OWNED) happen? OWNED stays set
     * from its reservation until its 4b; prod cannot move while OWNED is clear. So if OWNED is clear now,
     * 4b happened and nobody reserved since: the gathered end is llq.prod. If OWNED is set and 4b
     * happened, somebody reserved from a word with OWNED clear at the gathered end, and is stuck before
     * step 4a behind the dead owner, with a record saying so (RESERVING with the owner bit, or an owner's
     * CLAIMED / PUBLISHED) starting past the dead one's start.
     *
     * @return the gathered end when 4b happened, else UNDECIDED (it did not: OWNED is still its round's).
     */
    private int decideGathered(final int lease, final int start)
    {
        final int prodHalf = ProdCons.prod(state.lvProdCons());
        if (!ProdCons.isOwned(prodHalf))
        {
            return prodHalf;
        }
        final int reach = QueueIndex.distance(start, ProdCons.withoutOwned(prodHalf), log2Size);
        collect(first);
        for (int other = 0; other < ProducerLeases.CAPACITY; other++)
        {
            final long r = first[other];
            final int phase = ClaimRecords.phase(r);
            final int otherStart = ClaimRecords.start(r);
            final int distance = QueueIndex.distance(start, otherStart, log2Size);
            if (other == lease || !ClaimRecords.owner(r) || distance == 0 || distance > reach)
            {
                continue;
            }
            if (phase == ClaimRecords.CLAIMED || phase == ClaimRecords.PUBLISHED)
            {
                return otherStart;
            }
            if (phase == ClaimRecords.RESERVING && ((dead & (1L << other)) == 0 || decideReservation(other, otherStart) == YES))
            {
                // A live record's expected word really had OWNED clear at otherStart; a dead one counts once its CAS is proven.
                return otherStart;
            }
        }
        return UNDECIDED;
    }

    /**
     * Window W2: a dead producer recorded EXCLUSIVE_TRYING or EXCLUSIVE_UNLOCKING: does it hold the
     * lock? The holder is unique and records EXCLUSIVE_TRYING before its CAS and NONE only after its
     * unlock; so if the lock is held (negative) while every live record stays the same across a double
     * collect and none of them, nor another dead one, is in an exclusive state, the holder is this one.
     *
     * @return YES, NO, or UNDECIDED (a live record moved or is in an exclusive state; two dead ones are).
     */
    private int decideExclusive(final int lease)
    {
        if (lock.value() >= 0)
        {
            return NO; // had it taken the lock, the sign bit would stay set: only the holder clears it
        }
        collect(first);
        final int value = lock.value();
        collect(second);
        if (value >= 0)
        {
            return NO;
        }
        for (int other = 0; other < ProducerLeases.CAPACITY; other++)
        {
            if (other == lease)
            {
                continue;
            }
            final boolean isDead = (dead & (1L << other)) != 0;
            if (!isDead && first[other] != second[other])
            {
                return UNDECIDED;
            }
            final int lockState = ClaimRecords.lock(second[other]);
            if (lockState >= ClaimRecords.EXCLUSIVE_TRYING)
            {
                return isDead && lockState == ClaimRecords.EXCLUSIVE_HELD ? NO : UNDECIDED;
            }
        }
        return YES;
    }

    /**
     * Window W5 (narrowed): dead producers that recorded SHARED_LOCKING or SHARED_UNLOCKING may or may
     * not have their increment in the lock's count. When a double collect sees every live record
     * unchanged and none of them between an add and its record, the count at the moment between the two
     * collects is exactly the SHARED_HELD records plus the ambiguous dead ones that added: the
     * difference is how many decrements they owe, whichever of them it was.
     *
     * @return true when the ambiguous dead records were settled.
     */
    private boolean repairShared()
    {
        int ambiguous = 0;
        for (long bits = dead; bits != 0; bits &= bits - 1)
        {
            final int lockState = ClaimRecords.lock(records.lv(Long.numberOfTrailingZeros(bits)));
            if (lockState == ClaimRecords.SHARED_LOCKING || lockState == ClaimRecords.SHARED_UNLOCKING)
            {
                ambiguous++;
            }
        }
        if (ambiguous == 0)
        {
            return false;
        }
        collect(first);
        final int value = lock.value();
        collect(second);
        int held = 0;
        for (int other = 0; other < ProducerLeases.CAPACITY; other++)
        {
            final boolean isDead = (dead & (1L << other)) != 0;
            final int lockState = ClaimRecords.lock(second[other]);
            if (!isDead)
            {
                if (first[other] != second[other])
                {
                    return false;
                }
                if (other == self && lockState == ClaimRecords.SHARED_LOCKING)
                {
                    held++; // the caller is waiting inside sharedLock: its add is done
                    continue;
                }
                if (lockState == ClaimRecords.SHARED_LOCKING || lockState == ClaimRecords.SHARED_UNLOCKING)
                {
                    return false;
                }
            }
            if (lockState == ClaimRecords.SHARED_HELD)
            {
                held++;
            }
        }
        final int owed = (value & Integer.MAX_VALUE) - held;
        if (owed < 0 || owed > ambiguous)
        {
            return false; // not a consistent moment (cannot happen if every record is truthful)
        }
        for (int i = 0; i < owed; i++)
        {
            lock.sharedUnlock();
        }
        for (long bits = dead; bits != 0; bits &= bits - 1)
        {
            final int lease = Long.numberOfTrailingZeros(bits);
            final long r = records.lv(lease);
            final int lockState = ClaimRecords.lock(r);
            if (lockState == ClaimRecords.SHARED_LOCKING || lockState == ClaimRecords.SHARED_UNLOCKING)
            {
                records.so(lease, ClaimRecords.withLock(r, ClaimRecords.NONE));
            }
        }
        return true;
    }

    /**
     * The dead exclusive holder's critical section, finished in its place: refresh the software CONS from
     * the hardware (the others wait for exactly that, not for the lock), then clear the sign bit.
     */
    private void finishExclusive()
    {
        state.advanceCons(registers.getConsAcquire() & wrapIndexMask);
        lock.exclusiveUnlock();
    }

    /**
     * After a repair, producers waiting for space may all be in the part of {@code waitUntilNotFull}
     * that waits for somebody else's CONS refresh (the dead one was that somebody, or its lock hold kept
     * everyone from becoming it): do one refresh as any producer would, recorded in the caller's own
     * record like the issuer's, so that the caller's own death inside it stays repairable.
     */
    private void refreshCons()
    {
        final long mine = records.lv(self);
        if (ClaimRecords.lock(mine) != ClaimRecords.NONE)
        {
            return; // the caller holds the lock shared (or is adding to it): the CAS from 0 could not succeed
        }
        records.so(self, ClaimRecords.withLock(mine, ClaimRecords.EXCLUSIVE_TRYING));
        final boolean taken = lock.exclusiveTryLock();
        records.so(self, ClaimRecords.withLock(mine, taken ? ClaimRecords.EXCLUSIVE_HELD : ClaimRecords.NONE));
        if (taken)
        {
            state.advanceCons(registers.getConsAcquire() & wrapIndexMask);
            records.so(self, ClaimRecords.withLock(mine, ClaimRecords.EXCLUSIVE_UNLOCKING));
            lock.exclusiveUnlock();
            records.so(self, ClaimRecords.withLock(mine, ClaimRecords.NONE));
        }
    }

    private boolean covers(final long record, final int p)
    {
        final int start = ClaimRecords.start(record);
        return QueueIndex.distance(start, p, log2Size) < QueueIndex.distance(start, ClaimRecords.end(record), log2Size);
    }

    private void collect(final long[] into)
    {
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            into[lease] = records.lv(lease);
        }
    }
}
