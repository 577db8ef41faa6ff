package dev.cmdq.queue;

import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.Objects;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The producer side of a ring owned by one thread: no atomic read-modify-write anywhere. The owner
 * reserves {@code n} slots, writes the entries <em>in place</em> through {@link #buffer()} at
 * {@link #slotOffset(int)}, and makes everything reserved so far visible to the device with one release
 * store of PROD ({@link #publish()}).
 *
 * <pre>
 *        CONS (device)        published (PROD)       claimed
 *            |                     |                     |
 *  ... free  | consumable entries  | written, not yet    |   free ... (up to CONS + 2^L)
 *            |                     | visible to device   |
 *  space for the next claim = freeSpace(claimed, oldest of {cached CONS, oldest held completion})
 * </pre>
 *
 * <p><b>Cached CONS.</b> Like the producer limit of a JCTools SPSC queue, the producer remembers where the
 * free space known from its last CONS read ends, and re-reads CONS (an MMIO read — a VM exit on a trapped
 * queue) only when a claim would pass that limit. A claim within it reads two fields and writes one.
 *
 * <p><b>Completions are never lost to slot reuse.</b> A completion entry with a write-back
 * ({@link #claimCompletion(boolean) claimCompletion(true)}) is told to write into its own slot, as Linux
 * does with MSI polling. Until {@link #awaitCompletion(int)} has observed that word, the slot is
 * <em>held</em>: the space computation treats the oldest held completion as not yet consumed, so the
 * producer cannot overwrite the word before its waiter saw it — even though CONS may already be past
 * it. (Linux gets the same effect from its cmdq lock: CONS is not refreshed while a sync waiter holds
 * the lock shared.) A held completion that is never awaited therefore keeps its slot forever; a wait
 * that times out keeps the hold too, unless CONS shows the device consumed the entry without writing
 * (the write-back was dropped), in which case the hold ends with {@link IssueStatus#COMMAND_ERROR}.
 *
 * <p><b>Threads.</b> Every method except {@link #close()} must be called by the owning thread.
 * {@code close()} may come from any thread and releases a waiting owner with {@link IssueStatus#CLOSED}.
 * Every wait is bounded by the timeout given at construction and backs off with the given
 * {@link IdleStrategy}; nothing blocks forever.
 */
public final class SingleWriterProducer implements AutoCloseable
{
    /**
     * {@link #tryClaim(int)} result when the ring has no room for the request right now. Distinct from
     * every {@link IssueStatus} code.
     */
    public static final int NO_SPACE = -100;

    private static final VarHandle CLOSED;

    static
    {
        try
        {
            CLOSED = MethodHandles.lookup().findVarHandle(SingleWriterProducer.class, "closed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final RingMemory memory;
    private final UnsafeBuffer buffer;
    private final QueueRegisters registers;
    private final CompletionEntry completion;
    private final IdleStrategy idle;
    private final NanoClock clock;
    private final long timeoutNs;
    private final int log2Size;
    private final int capacity;
    private final int indexMask;
    private final int wrapIndexMask;
    private final long deviceAddress;
    private final ConsWaiter consWaiter;
    private final WriteBackWaiter writeBackWaiter;
    /** Set once by {@link #close()} from any thread; read by the owner on every claim and wait. */
    private volatile boolean closed;

    /*
     * Positions count slots without wrapping (int overflow is harmless: only differences are compared);
     * a position's PROD value is its low L+1 bits. Claiming then writes one field, as a JCTools producer
     * does against its producer limit, instead of a masked position plus a free-space count.
     */
    /** Position just past the last claimed slot. */
    private int claimedPos;
    /** Position last stored to PROD. */
    private int publishedPos;
    /** Position up to which slots are known free; recomputed from CONS only when a claim would pass it. */
    private int limitPos;

    /** Positions of held write-back completions in claim order; stale (already observed) ones are skipped. */
    private final int[] holdQueue;
    private int holdHead;
    private int holdTail;
    /** One bit per slot: its write-back completion has not been observed yet. */
    private final long[] heldSlots;
    /** For a held slot: the position (IDX and WRAP) of its completion. */
    private final int[] heldPosition;
    /** For a held slot: the value the device will write. */
    private final int[] heldValue;
    private int heldCount;

    /**
     * Creates a producer timed by the system clock.
     *
     * @param memory     the ring; retained until {@link #close()}.
     * @param registers  the queue's registers.
     * @param completion how completion entries are written, or null if this producer writes none.
     * @param idle       how every wait backs off.
     * @param timeoutNs  bound of every wait, {@code >= 0}.
     * @throws IllegalStateException    if PROD and CONS are inconsistent (more than a ring apart) or the
     *                                  memory is closed.
     * @throws IllegalArgumentException naming {@code timeoutNs} when negative.
     */
    public SingleWriterProducer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final IdleStrategy idle,
        final long timeoutNs)
    {
        this(memory, registers, completion, idle, timeoutNs, SystemNanoClock.INSTANCE);
    }

    /**
     * Creates a producer with an injected clock (tests drive timeouts without waiting).
     *
     * @param memory     the ring; retained until {@link #close()}.
     * @param registers  the queue's registers.
     * @param completion how completion entries are written, or null if this producer writes none.
     * @param idle       how every wait backs off.
     * @param timeoutNs  bound of every wait, {@code >= 0}.
     * @param clock      time source for the timeouts.
     * @throws IllegalStateException    if PROD and CONS are inconsistent (more than a ring apart) or the
     *                                  memory is closed.
     * @throws IllegalArgumentException naming {@code timeoutNs} when negative.
     */
    public SingleWriterProducer(
        final RingMemory memory,
        final QueueRegisters registers,
        final CompletionEntry completion,
        final IdleStrategy idle,
        final long timeoutNs,
        final NanoClock clock)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.registers = Objects.requireNonNull(registers, "registers");
        this.completion = completion;
        this.idle = Objects.requireNonNull(idle, "idle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutNs = Arguments.timeout(timeoutNs);
        this.log2Size = memory.log2Size();
        this.capacity = QueueIndex.capacity(log2Size);
        this.indexMask = QueueIndex.indexMask(log2Size);
        this.wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
        this.deviceAddress = memory.deviceAddress();

        final int prod = registers.getProdAcquire() & wrapIndexMask;
        final int cons = registers.getConsAcquire();
        final int free = QueueIndex.freeSpace(prod, cons, log2Size);
        if (free < 0 || free > capacity)
        {
            throw new IllegalStateException("PROD=0x" + Integer.toHexString(prod) + " and CONS=0x" +
                Integer.toHexString(cons) + " are more than a ring apart for log2Size=" + log2Size);
        }

        memory.retain();
        this.buffer = memory.buffer();
        this.claimedPos = prod;
        this.publishedPos = prod;
        this.limitPos = prod + free;
        this.holdQueue = new int[capacity];
        this.heldSlots = new long[(capacity + 63) >>> 6];
        this.heldPosition = new int[capacity];
        this.heldValue = new int[capacity];
        this.consWaiter = new ConsWaiter(registers, log2Size, idle, clock, timeoutNs);
        this.writeBackWaiter = new WriteBackWaiter(buffer, idle, clock, timeoutNs);
    }

    /**
     * @return the ring's memory view: write claimed entries here, at {@link #slotOffset(int)}.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the number of slots in the ring.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return log2 of the number of slots.
     */
    public int log2Size()
    {
        return log2Size;
    }

    /**
     * Reserves {@code n} consecutive slots without waiting. The entries are at
     * {@code slotOffset(start + i)} for {@code 0 <= i < n} (the offset wraps around the ring by itself).
     *
     * @param n number of slots, 1..capacity.
     * @return the PROD value of the first slot ({@code >= 0}), {@link #NO_SPACE}, or
     *         {@link IssueStatus#CLOSED}.
     * @throws IllegalArgumentException naming {@code n} when out of range.
     */
    public int tryClaim(final int n)
    {
        // A claim within the limit has n <= capacity, so the range check's upper half runs only on the slow path.
        if (n < 1)
        {
            throw badCount(n);
        }
        if (closed)
        {
            if (n > capacity)
            {
                throw badCount(n);
            }
            return IssueStatus.CLOSED;
        }
        // limitPos - claimedPos is the free space known without reading CONS, always in [0, capacity].
        final int start = claimedPos;
        if (limitPos - start < n && !refreshLimit(n))
        {
            return NO_SPACE;
        }
        claimedPos = start + n;
        return start & wrapIndexMask;
    }

    /**
     * Reserves {@code n} consecutive slots, waiting (backing off, bounded by the timeout) for the device
     * to free them.
     *
     * @param n number of slots, 1..capacity.
     * @return the PROD value of the first slot ({@code >= 0}), {@link IssueStatus#TIMEOUT} (nothing was
     *         reserved; the producer stays usable) or {@link IssueStatus#CLOSED}. A write-back completion
     *         not yet awaited keeps its slot, so a claim that needs it times out: await it first.
     * @throws IllegalArgumentException naming {@code n} when out of range.
     */
    public int claim(final int n)
    {
        int start = tryClaim(n);
        if (start != NO_SPACE)
        {
            return start;
        }

        idle.reset();
        final long begin = clock.nanoTime();
        while (true)
        {
            idle.idle();
            start = tryClaim(n);
            if (start != NO_SPACE)
            {
                return start;
            }
            if (clock.nanoTime() - begin >= timeoutNs)
            {
                return IssueStatus.TIMEOUT;
            }
        }
    }

    /**
     * @param prodValue a PROD value (extra bits above IDX are ignored, so {@code start + i} works).
     * @return the byte offset of that slot in {@link #buffer()}.
     */
    public int slotOffset(final int prodValue)
    {
        return (prodValue & indexMask & QueueIndex.MAX_INDEX_MASK) << RingMemory.ENTRY_SHIFT;
    }

    /**
     * Makes every claimed entry visible to the device: one release store of PROD, ordered after every
     * entry write the owner made before it. Does nothing when nothing was claimed since the last publish
     * (no register access, which matters on a trapped queue).
     */
    public void publish()
    {
        final int end = claimedPos;
        if (end != publishedPos)
        {
            publishedPos = end;
            registers.putProdRelease(end & wrapIndexMask);
        }
    }

    /**
     * Reserves one slot (waiting like {@link #claim(int)}) and writes a completion entry into it. With
     * {@code writeBack} the entry asks the device to write its completion word into the entry's own slot
     * (MSI polling) and the slot stays held until {@link #awaitCompletion(int)} observed the word;
     * without, the caller waits with {@link #awaitConsumed(int)}. Publish it with {@link #publish()}.
     *
     * @param writeBack whether the device should write a completion word.
     * @return the PROD value of the completion entry, or {@link IssueStatus#TIMEOUT} /
     *         {@link IssueStatus#CLOSED}.
     * @throws IllegalStateException if this producer has no {@link CompletionEntry}, or if the entry
     *                               already holds its write-back value in the word the device writes
     *                               (its wait could not tell completion from no completion).
     */
    public int claimCompletion(final boolean writeBack)
    {
        if (completion == null)
        {
            throw new IllegalStateException("this producer was built without a CompletionEntry");
        }
        final int position = claim(1);
        if (position < 0)
        {
            return position;
        }
        final int offset = slotOffset(position);
        if (!writeBack)
        {
            completion.write(buffer, offset, CompletionEntry.NO_WRITE_BACK);
            return position;
        }

        completion.write(buffer, offset, deviceAddress + offset);
        final int value = completion.writeBackValue(buffer, offset);
        if (buffer.getInt(offset) == value)
        {
            throw new IllegalStateException("completion entry at offset " + offset +
                " already holds its write-back value 0x" + Integer.toHexString(value) + " in its first word");
        }
        hold(position, value);
        return position;
    }

    /**
     * Waits for the write-back of a completion claimed with {@code claimCompletion(true)} and published.
     * On {@link IssueStatus#OK} the slot is released for reuse.
     *
     * @param position the value {@link #claimCompletion(boolean)} returned.
     * @return {@link IssueStatus#OK}; {@link IssueStatus#TIMEOUT} (still held: wait again later);
     *         {@link IssueStatus#COMMAND_ERROR} when CONS is past the entry but its word was never written
     *         (write-back aborted, or the entry was replaced while repairing a command error) — the hold
     *         ends, the word will never come; or {@link IssueStatus#CLOSED}.
     * @throws IllegalArgumentException naming {@code position} if it is not an outstanding, published
     *                                  write-back completion of this producer.
     */
    public int awaitCompletion(final int position)
    {
        final int slot = position & indexMask;
        final int p = position & wrapIndexMask;
        if (position != p || !isHeld(slot) || heldPosition[slot] != p || !isPublished(p))
        {
            throw new IllegalArgumentException("position=0x" + Integer.toHexString(position) +
                " is not an outstanding, published write-back completion of this producer");
        }

        final int offset = slot << RingMemory.ENTRY_SHIFT;
        final int value = heldValue[slot];
        final int status = writeBackWaiter.await(offset, value);
        if (status == IssueStatus.OK)
        {
            unhold(slot);
            return IssueStatus.OK;
        }
        if (status == IssueStatus.TIMEOUT)
        {
            // The device writes the word before it moves CONS past the entry. So CONS past the entry with
            // the word (read after CONS, acquire) still unwritten means the write-back was dropped and will
            // never come: only then may the slot be given back.
            final int cons = registers.getConsAcquire();
            if (QueueIndex.consumedPast(cons, p, log2Size))
            {
                final boolean written = buffer.getIntAcquire(offset) == value;
                unhold(slot);
                return written ? IssueStatus.OK : IssueStatus.COMMAND_ERROR;
            }
        }
        return status;
    }

    /**
     * Waits until CONS is past {@code position} (CONS polling). Use it for a completion claimed without
     * write-back, or for any published entry.
     *
     * @param position a PROD value this producer published within the last ring.
     * @return {@link IssueStatus#OK}, {@link IssueStatus#TIMEOUT} or {@link IssueStatus#CLOSED}.
     * @throws IllegalArgumentException naming {@code position} if it was not published within the last
     *                                  {@code capacity} entries (its slot may have been reused, so
     *                                  "consumed past" could no longer be decided). Positions repeat every
     *                                  two rings, so one published more than two rings ago cannot be
     *                                  detected: wait before moving on, as Linux does.
     */
    public int awaitConsumed(final int position)
    {
        final int p = position & wrapIndexMask;
        if (position != p || !isPublished(p))
        {
            throw new IllegalArgumentException("position=0x" + Integer.toHexString(position) +
                " was not published by this producer within the last " + capacity + " entries");
        }
        return consWaiter.awaitConsumedPast(p);
    }

    /**
     * @return the PROD value just past the last claimed slot (where the next claim starts).
     */
    public int claimed()
    {
        return claimedPos & wrapIndexMask;
    }

    /**
     * @return the PROD value last published.
     */
    public int published()
    {
        return publishedPos & wrapIndexMask;
    }

    /**
     * @return the number of write-back completions whose word has not been observed yet.
     */
    public int heldCompletions()
    {
        return heldCount;
    }

    /**
     * Stops the producer: waits in progress return {@link IssueStatus#CLOSED}, later claims return it,
     * and the ring memory is released. Idempotent; any thread may call it.
     */
    @Override
    public void close()
    {
        if (CLOSED.compareAndSet(this, false, true))
        {
            consWaiter.close();
            writeBackWaiter.close();
            memory.release();
        }
    }

    /**
     * Slow path: re-reads CONS and recomputes the free space, treating the oldest held completion as not
     * consumed.
     */
    private boolean refreshLimit(final int n)
    {
        if (n > capacity)
        {
            throw badCount(n);
        }
        final int start = claimedPos;
        final int end = start & wrapIndexMask;
        int limit = registers.getConsAcquire();
        if (holdHead != holdTail)
        {
            final int oldest = holdQueue[holdHead & indexMask];
            if (((end - oldest) & wrapIndexMask) > ((end - limit) & wrapIndexMask))
            {
                limit = oldest;
            }
        }
        final int free = QueueIndex.freeSpace(end, limit, log2Size);
        limitPos = start + free;
        return n <= free;
    }

    private boolean isPublished(final int p)
    {
        // p is in [published - capacity, published): published at most one ring ago.
        final int d = (publishedPos - p) & wrapIndexMask;
        return d >= 1 && d <= capacity;
    }

    private boolean isHeld(final int slot)
    {
        return (heldSlots[slot >>> 6] & (1L << slot)) != 0;
    }

    private void hold(final int position, final int value)
    {
        final int slot = position & indexMask;
        heldPosition[slot] = position;
        heldValue[slot] = value;
        heldSlots[slot >>> 6] |= 1L << slot;
        holdQueue[holdTail++ & indexMask] = position;
        heldCount++;
    }

    private void unhold(final int slot)
    {
        heldSlots[slot >>> 6] &= ~(1L << slot);
        heldCount--;
        while (holdHead != holdTail)
        {
            final int oldest = holdQueue[holdHead & indexMask];
            final int oldestSlot = oldest & indexMask;
            if (isHeld(oldestSlot) && heldPosition[oldestSlot] == oldest)
            {
                break;
            }
            holdHead++;
        }
    }

    private IllegalArgumentException badCount(final int n)
    {
        return new IllegalArgumentException("n=" + n + " outside [1, " + capacity + "]");
    }
}
