package dev.cmdq.queue.mapped;

import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.lockfree.ClaimJournal;
import dev.cmdq.queue.lockfree.ProdCons;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-shared {@link ClaimJournal}: each thread that issues takes a producer lease of its own on
 * its first call and stores every step of every call into that lease's claim record
 * ({@link ClaimRecords}), one release store per step; a thread that has waited without progress for
 * {@link #STALLS_BEFORE_REPAIR} back-off rounds ({@link #stalled()}) asks {@link DeadProducerRepair} to look for dead
 * producers, at most once per scan interval per process.
 *
 * <pre>
 *   thread T (lease 5)         record 5 in the file
 *   begin                      IDLE
 *   reserving(snap, k)         RESERVING [prod(snap), +k) owner=!OWNED(snap)     before the CAS
 *   claimed(s, e, owner)       CLAIMED [s, e)                                      after it
 *   sharedLocking / Locked     lock=SHARED_LOCKING / SHARED_HELD                   around the add
 *   published                  PUBLISHED
 *   gathering / gathered(g)    GATHERING / GATHERED [s, g)                         around 4b
 *   handedOver                 HANDED_OVER                                         after 4d, 4e
 *   sharedUnlocking / ...ed    lock=SHARED_UNLOCKING / NONE
 *   end                        IDLE
 * </pre>
 *
 * <p>Allocation: a thread's first call creates its lease holder; later calls allocate nothing. The
 * repair path allocates (it asks the OS about processes) and runs only while a wait is stalled.
 */
final class ClaimRecorder implements ClaimJournal, AutoCloseable
{
    /** Back-off rounds of one call without progress before it looks for dead producers. */
    static final int STALLS_BEFORE_REPAIR = 32;

    /** A thread's lease and how many back-off rounds its current call has stalled. */
    private static final class ThreadLease
    {
        int lease = -1;
        int stalls;
    }

    private final ProducerLeases leases;
    private final ClaimRecords records;
    private final DeadProducerRepair repair;
    private final long leaseWord;
    private final int log2Size;
    private final NanoClock clock;
    private final long scanIntervalNs;
    private final ThreadLocal<ThreadLease> threadLease = ThreadLocal.withInitial(ThreadLease::new);
    /** Bit i set: lease i was taken by a thread of this recorder (released on close). */
    private final AtomicLong taken = new AtomicLong();
    private volatile long nextScanNs;

    /**
     * @param leases         the file's lease table.
     * @param records        the file's claim records.
     * @param repair         repairs dead producers.
     * @param leaseWord      the holder word for this recorder's leases (this process's).
     * @param log2Size       log2 of the ring's slots.
     * @param clock          time of the scan interval.
     * @param scanIntervalNs least time between two scans for dead producers in this process.
     */
    ClaimRecorder(
        final ProducerLeases leases,
        final ClaimRecords records,
        final DeadProducerRepair repair,
        final long leaseWord,
        final int log2Size,
        final NanoClock clock,
        final long scanIntervalNs)
    {
        this.leases = leases;
        this.records = records;
        this.repair = repair;
        this.leaseWord = leaseWord;
        this.log2Size = log2Size;
        this.clock = clock;
        this.scanIntervalNs = scanIntervalNs;
    }

    @Override
    public int begin()
    {
        final ThreadLease mine = leased();
        mine.stalls = 0;
        records.so(mine.lease, 0L);
        return mine.lease;
    }

    @Override
    public void reserving(final int handle, final long snapshot, final int k)
    {
        final int prod = ProdCons.withoutOwned(ProdCons.prod(snapshot));
        final int end = QueueIndex.advance(prod, k, log2Size);
        records.so(handle, ClaimRecords.withClaim(records.lv(handle), ClaimRecords.RESERVING, prod, end,
            !ProdCons.isOwned(ProdCons.prod(snapshot))));
    }

    @Override
    public void claimed(final int handle, final int start, final int end, final boolean owner)
    {
        records.so(handle, ClaimRecords.withClaim(records.lv(handle), ClaimRecords.CLAIMED, start, end, owner));
    }

    @Override
    public void sharedLocking(final int handle)
    {
        setLock(handle, ClaimRecords.SHARED_LOCKING);
    }

    @Override
    public void sharedLocked(final int handle, final boolean held)
    {
        setLock(handle, held ? ClaimRecords.SHARED_HELD : ClaimRecords.NONE);
    }

    @Override
    public void published(final int handle)
    {
        setPhase(handle, ClaimRecords.PUBLISHED);
    }

    @Override
    public void gathering(final int handle)
    {
        setPhase(handle, ClaimRecords.GATHERING);
    }

    @Override
    public void gathered(final int handle, final int gatheredEnd)
    {
        records.so(handle, ClaimRecords.withEnd(ClaimRecords.withPhase(records.lv(handle), ClaimRecords.GATHERED), gatheredEnd));
    }

    @Override
    public void handedOver(final int handle)
    {
        setPhase(handle, ClaimRecords.HANDED_OVER);
    }

    @Override
    public void sharedUnlocking(final int handle)
    {
        setLock(handle, ClaimRecords.SHARED_UNLOCKING);
    }

    @Override
    public void sharedUnlocked(final int handle)
    {
        setLock(handle, ClaimRecords.NONE);
    }

    @Override
    public void exclusiveTrying(final int handle)
    {
        setLock(handle, ClaimRecords.EXCLUSIVE_TRYING);
    }

    @Override
    public void exclusiveLocked(final int handle, final boolean taken)
    {
        setLock(handle, taken ? ClaimRecords.EXCLUSIVE_HELD : ClaimRecords.NONE);
    }

    @Override
    public void exclusiveUnlocking(final int handle)
    {
        setLock(handle, ClaimRecords.EXCLUSIVE_UNLOCKING);
    }

    @Override
    public void exclusiveUnlocked(final int handle)
    {
        setLock(handle, ClaimRecords.NONE);
    }

    @Override
    public void end(final int handle)
    {
        records.so(handle, 0L);
    }

    /**
     * One back-off round of a wait of the calling thread passed ({@link RepairingIdleStrategy}): after
     * {@link #STALLS_BEFORE_REPAIR} of them in one call, and at most once per scan interval in this
     * process, looks for dead producers and repairs them.
     *
     * @return true when something was repaired.
     */
    boolean stalled()
    {
        final ThreadLease mine = threadLease.get();
        if (mine.lease < 0 || ++mine.stalls < STALLS_BEFORE_REPAIR)
        {
            return false;
        }
        final long now = clock.nanoTime();
        if (now - nextScanNs < 0)
        {
            return false;
        }
        nextScanNs = now + scanIntervalNs;
        return repair.repair(mine.lease);
    }

    /**
     * Clears the records and gives back the leases of every thread that issued through this recorder.
     * Call once no thread issues any more.
     */
    @Override
    public void close()
    {
        long bits = taken.getAndSet(0);
        while (bits != 0)
        {
            final int lease = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            records.clear(lease);
            leases.release(lease, leaseWord);
        }
    }

    /**
     * @return the calling thread's lease, taken now if it has none.
     */
    int threadLease()
    {
        return leased().lease;
    }

    private ThreadLease leased()
    {
        final ThreadLease mine = threadLease.get();
        if (mine.lease < 0)
        {
            final int lease = leases.acquire(leaseWord);
            records.clear(lease);
            taken.getAndAccumulate(1L << lease, (a, b) -> a | b);
            mine.lease = lease;
        }
        return mine;
    }

    private void setPhase(final int handle, final int phase)
    {
        records.so(handle, ClaimRecords.withPhase(records.lv(handle), phase));
    }

    private void setLock(final int handle, final int lock)
    {
        records.so(handle, ClaimRecords.withLock(records.lv(handle), lock));
    }
}
