package dev.cmdq.queue.mapped;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Which processes hold the producer side of a shared ring, so that a dead one is found: a table of
 * {@value #CAPACITY} lease words in the ring file's header, each naming its holder by process id and
 * process start time. A holder is dead when the OS has no live process with that id and that start
 * time; the start time tells a dead holder from a new process that got the same id.
 *
 * <pre>
 *   lease word (64 bits), 0 = free:
 *    63                                        22 21               0
 *   +--------------------------------------------+------------------+
 *   |  START: holder's start time, 10 ms ticks    |  PID (22 bits)   |
 *   |         since the epoch (41 bits)           |                  |
 *   +--------------------------------------------+------------------+
 * </pre>
 *
 * <p>Why one word: taking a lease is one compare-and-set from 0, so there is no moment at which a lease
 * names a process only half (a holder killed right after the CAS is fully named, and found dead). Why
 * 10 ms ticks: Linux keeps a process's start time in clock ticks (100 per second), so finer digits carry
 * nothing; 41 bits of ticks last about 697 years, and 22 bits hold every Linux pid (PID_MAX_LIMIT is
 * 2^22).
 *
 * <p><b>Detection bound.</b> The OS knows at once that a process died; {@link #firstDead(int)} asks it
 * for every held lease, so a dead holder is found by the first scan after its death. The JDK reports a
 * zombie (a dead process its parent has not yet waited for) as alive, so on Linux the state letter in
 * {@code /proc/<pid>/stat} is read too and {@code Z} counts as dead: a producer whose parent never
 * reaps it is still found. The bound on detection is therefore the period at which a recoverer scans,
 * which it chooses.
 *
 * <p><b>Recovery.</b> {@link #reclaim(int, long)} frees a dead holder's lease with a CAS from the word the
 * recoverer saw, so of several recoverers exactly one wins (the model is Agrona's
 * {@code ManyToOneRingBuffer.unblock()}: whoever frees a dead producer's claim does it once). Repairing
 * what the dead producer left in the queue is the winner's job, and is not done by this class.
 *
 * <p><b>Threads and processes.</b> Any thread of any process that mapped the file may call any method;
 * lease words change only by CAS. Liveness checks ask the OS and allocate; they are for the recovery
 * path, not for the hot path.
 */
public final class ProducerLeases
{
    /** Leases in the table. */
    public static final int CAPACITY = 64;
    /** Bits of the process id in a lease word. */
    static final int PID_BITS = 22;
    static final long PID_MASK = (1L << PID_BITS) - 1;
    static final long MILLIS_PER_TICK = 10;

    private final UnsafeBuffer words;
    private final String fileName;

    /**
     * @param header   the file's header view.
     * @param offset   byte offset of the table in {@code header}.
     * @param fileName names the file in error messages.
     */
    ProducerLeases(final AtomicBuffer header, final int offset, final String fileName)
    {
        this.words = new UnsafeBuffer(header, offset, CAPACITY * Long.BYTES);
        this.fileName = fileName;
    }

    /**
     * Takes a free lease for the calling process.
     *
     * @return the lease index, 0..{@value #CAPACITY}-1.
     * @throws IllegalStateException if every lease is held (naming the file), or this process's id or
     *                               start time cannot be put in a lease.
     */
    public int acquire()
    {
        return acquire(holderWord(ProcessHandle.current()));
    }

    /**
     * Takes a free lease naming {@code word} as its holder (this process's word, or in tests a word that
     * names a dead process).
     *
     * @param word a non-zero lease word.
     * @return the lease index.
     * @throws IllegalStateException if every lease is held, naming the file.
     */
    int acquire(final long word)
    {
        for (int lease = 0; lease < CAPACITY; lease++)
        {
            if (words.getLongVolatile(offset(lease)) == 0 && words.compareAndSetLong(offset(lease), 0, word))
            {
                return lease;
            }
        }
        throw new IllegalStateException("all " + CAPACITY + " producer leases of " + fileName +
            " are held; reclaim the dead ones first");
    }

    /**
     * Gives back a lease this process holds.
     *
     * @param lease the index {@link #acquire()} returned.
     * @throws IllegalArgumentException naming {@code lease} when out of range.
     * @throws IllegalStateException    naming the lease and its holder if this process does not hold it.
     */
    public void release(final int lease)
    {
        release(lease, holderWord(ProcessHandle.current()));
    }

    /**
     * Gives back a lease held under {@code mine}.
     *
     * @param lease the index {@link #acquire(long)} returned.
     * @param mine  the word it was acquired with.
     * @throws IllegalArgumentException naming {@code lease} when out of range.
     * @throws IllegalStateException    naming the lease and its holder if it does not hold {@code mine}.
     */
    void release(final int lease, final long mine)
    {
        if (!words.compareAndSetLong(offset(checkLease(lease)), mine, 0))
        {
            throw new IllegalStateException("lease " + lease + " of " + fileName + " is " +
                describe(words.getLongVolatile(offset(lease))) + ", not held by this process (pid " +
                ProcessHandle.current().pid() + ")");
        }
    }

    /**
     * @param lease a lease index.
     * @return the lease word (0 when free), read with acquire semantics.
     * @throws IllegalArgumentException naming {@code lease} when out of range.
     */
    public long holder(final int lease)
    {
        return words.getLongAcquire(offset(checkLease(lease)));
    }

    /**
     * @param lease a lease index.
     * @return true when the lease is held by a process that no longer exists (free leases are not dead).
     * @throws IllegalArgumentException naming {@code lease} when out of range.
     */
    public boolean isDead(final int lease)
    {
        final long word = holder(lease);
        return word != 0 && !isAlive(word);
    }

    /**
     * @param from first lease index to look at.
     * @return the first lease at or after {@code from} whose holder is dead, or -1.
     */
    public int firstDead(final int from)
    {
        for (int lease = Math.max(from, 0); lease < CAPACITY; lease++)
        {
            if (isDead(lease))
            {
                return lease;
            }
        }
        return -1;
    }

    /**
     * Frees the lease of a dead holder, once: of several recoverers that saw the same dead word, exactly
     * one gets true.
     *
     * @param lease    a lease index.
     * @param deadWord the word the recoverer read with {@link #holder(int)}.
     * @return true if this call freed it; false if the lease no longer holds {@code deadWord}.
     * @throws IllegalArgumentException naming the lease and holder if {@code deadWord} is 0 or names a live
     *                                  process (a live producer's lease is never taken away).
     */
    public boolean reclaim(final int lease, final long deadWord)
    {
        checkLease(lease);
        if (deadWord == 0 || isAlive(deadWord))
        {
            throw new IllegalArgumentException("lease " + lease + " of " + fileName + ": " + describe(deadWord) +
                " is not a dead holder");
        }
        return words.compareAndSetLong(offset(lease), deadWord, 0);
    }

    /**
     * @param word a lease word.
     * @return its holder's process id.
     */
    public static long pid(final long word)
    {
        return word & PID_MASK;
    }

    /**
     * @param word a lease word.
     * @return its holder's start time, in 10 ms ticks since the epoch.
     */
    public static long startTicks(final long word)
    {
        return word >>> PID_BITS;
    }

    /**
     * @param word a lease word.
     * @return e.g. {@code held by pid 4242 started 2026-12-01T08:30:00.120Z}, or {@code free}.
     */
    public static String describe(final long word)
    {
        return word == 0 ? "free" :
            "held by pid " + pid(word) + " started " + Instant.ofEpochMilli(startTicks(word) * MILLIS_PER_TICK);
    }

    /**
     * @param process a process.
     * @return its lease word.
     * @throws IllegalStateException if its id does not fit in {@value #PID_BITS} bits or the OS gives no
     *                               start time.
     */
    static long holderWord(final ProcessHandle process)
    {
        final long pid = process.pid();
        if (pid <= 0 || pid > PID_MASK)
        {
            throw new IllegalStateException("pid " + pid + " does not fit a " + PID_BITS + "-bit lease");
        }
        final Optional<Instant> start = process.info().startInstant();
        if (start.isEmpty())
        {
            throw new IllegalStateException(
                "the OS gives no start time for pid " + pid + ": leases cannot tell it from a reused id");
        }
        return word(pid, start.get().toEpochMilli() / MILLIS_PER_TICK);
    }

    /**
     * @param pid        process id, 1..2^22-1.
     * @param startTicks start time in 10 ms ticks.
     * @return the lease word.
     */
    static long word(final long pid, final long startTicks)
    {
        return (startTicks << PID_BITS) | pid;
    }

    /**
     * @param word a non-zero lease word.
     * @return true when a live process has the word's id and start time.
     */
    static boolean isAlive(final long word)
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid(word));
        if (process.isEmpty())
        {
            return false;
        }
        final ProcessHandle handle = process.get();
        return isAlive(word, handle::isAlive, () -> handle.info().startInstant(), () -> isZombie(pid(word)));
    }

    /**
     * The verdict of {@link #isAlive(long)} from the OS's answers about a pid that is in the process
     * table, passed in so a test can script a holder that dies while it is being looked at.
     *
     * <p>A process can exit and be reaped between any two of the questions asked. Its start time then
     * reads as absent and its {@code /proc} entry as missing, both of which alone would leave it "alive"
     * (an absent start time cannot prove a reuse; a missing {@code stat} is not a zombie). So "is it
     * alive" is asked once more at the end: only a process still there after every other question counts
     * as alive. Without that last question a holder seen dead by one scan could be judged alive by the
     * next look, the recoverer's own re-check, just after its parent reaped it (seen in
     * {@code MultiProducerKillTest}).
     *
     * @param word   a non-zero lease word.
     * @param alive  the handle's "is alive" (the JDK counts a zombie as alive).
     * @param start  the handle's start time, empty when the OS gives none.
     * @param zombie whether the pid is a zombie now.
     * @return true when the process has the word's start time (or gives none) and was alive throughout.
     */
    static boolean isAlive(
        final long word, final BooleanSupplier alive, final Supplier<Optional<Instant>> start, final BooleanSupplier zombie)
    {
        if (!alive.getAsBoolean())
        {
            return false;
        }
        final Optional<Instant> started = start.get();
        // No start time (a process of another user on some systems): cannot prove a reuse, so it counts as alive.
        if (started.isPresent() && started.get().toEpochMilli() / MILLIS_PER_TICK != startTicks(word))
        {
            return false;
        }
        return !zombie.getAsBoolean() && alive.getAsBoolean();
    }

    /**
     * @param pid a process id.
     * @return true when Linux says the process has exited but was not reaped yet; false where there is no
     *         {@code /proc} (the JDK's answer then stands).
     */
    static boolean isZombie(final long pid)
    {
        try
        {
            // "pid (comm) S ...": comm may hold spaces and parentheses, the state letter follows the last ')'.
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            final int close = stat.lastIndexOf(')');
            return close >= 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        }
        catch (final IOException | RuntimeException e)
        {
            return false;
        }
    }

    /** Makes the table unusable; called when the file is unmapped. */
    void close()
    {
        words.wrap(0L, 0);
    }

    private static int offset(final int lease)
    {
        return lease << 3;
    }

    private static int checkLease(final int lease)
    {
        if (lease < 0 || lease >= CAPACITY)
        {
            throw new IllegalArgumentException("lease=" + lease + " outside [0, " + CAPACITY + ")");
        }
        return lease;
    }
}
