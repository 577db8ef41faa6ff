package dev.cmdq.queue.mapped;

import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.SingleWriterProducer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.StressEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer process of {@link SingleWriterKillTest}: opens a ring file, resumes from the PROD
 * published there, and writes {@link StressEntry} entries (sequence + checksum, FLAGS = its generation)
 * with a {@link SingleWriterProducer} until it is killed, reaches its stop sequence, outlives its
 * deadline, or its parent dies (so no test run leaves a producer behind).
 *
 * <p>Lines on stdout, the test's only view of this process besides the file:
 * <pre>
 *   START prod=&lt;hex PROD read on open&gt; next=&lt;first sequence it will write&gt;
 *   STALLED from=&lt;first unpublished sequence&gt; count=&lt;complete entries past PROD&gt; torn=&lt;0|1&gt;
 *   DONE next=&lt;sequence after the last published&gt;
 * </pre>
 *
 * <p>Resuming: the entry just before PROD is the last published one, complete by definition (PROD is
 * stored after it). Its sequence plus one is where to continue; a ring whose PROD is 0 and whose slot
 * before it holds no entry is fresh, so the sequence starts at 0. The low L+1 bits of a sequence equal
 * the PROD value of its slot, which the consumer checks.
 *
 * <p>Usage: {@code file generation seed mode stopAt deadlineMillis}; mode {@code run} (random batches,
 * sometimes pausing between writing a batch and publishing it, so random kills land inside that window),
 * {@code stall-publish} (after some batches, writes one batch completely and stops before PROD),
 * {@code stall-torn} (the same, then also writes only the first dword of one more entry); stopAt = -1 for
 * no stop sequence.
 */
public final class StressProducerProcess
{
    /** Largest batch a producer claims and publishes at once. */
    static final int MAX_BATCH = 16;
    /** Exit code: the slot before PROD held no complete entry although the ring is not fresh. */
    static final int EXIT_NO_RESUME_POINT = 3;
    /** Exit code: the deadline or the parent's death ended the run before its stop sequence. */
    static final int EXIT_ABANDONED = 4;

    private StressProducerProcess()
    {
    }

    /**
     * @param args file, generation, seed, mode, stopAt, deadlineMillis.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        final int generation = Integer.parseInt(args[1]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        final String mode = args[3];
        final long stopAt = Long.parseLong(args[4]);
        final long deadline = System.currentTimeMillis() + Long.parseLong(args[5]);
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();

        try (MappedRingMemory memory = MappedRingMemory.open(Paths.get(args[0]));
            SingleWriterProducer producer = new SingleWriterProducer(memory, memory.registers(), null,
                new BackoffIdleStrategy(16, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200)),
                TimeUnit.MILLISECONDS.toNanos(100)))
        {
            final AtomicBuffer ring = producer.buffer();
            final int log2Size = producer.log2Size();
            final int wrapIndexMask = QueueIndex.wrapIndexMask(log2Size);
            final int prod = producer.published();
            final int before = (prod - 1) & wrapIndexMask;
            final int beforeOffset = producer.slotOffset(before);
            long next;
            if (StressEntry.isIntact(ring, beforeOffset) &&
                (StressEntry.sequence(ring, beforeOffset) & wrapIndexMask) == before)
            {
                next = StressEntry.sequence(ring, beforeOffset) + 1;
            }
            else if (prod == 0)
            {
                next = 0;
            }
            else
            {
                out.println("ERROR no complete entry before PROD=0x" + Integer.toHexString(prod));
                System.exit(EXIT_NO_RESUME_POINT);
                return;
            }
            out.println("START prod=" + Integer.toHexString(prod) + " next=" + next);

            final boolean stalls = !"run".equals(mode);
            final long stallAfterBatches = stalls ? 20 + random.nextInt(200) : Long.MAX_VALUE;
            long batches = 0;
            while (stopAt < 0 || next < stopAt)
            {
                if ((batches & 255) == 0 && (System.currentTimeMillis() > deadline ||
                    parent.isPresent() && !parent.get().isAlive()))
                {
                    System.exit(EXIT_ABANDONED);
                }
                int n = 1 + random.nextInt(MAX_BATCH);
                if (stopAt >= 0)
                {
                    n = (int)Math.min(n, stopAt - next);
                }
                final int start = producer.claim(n);
                if (start == IssueStatus.TIMEOUT)
                {
                    continue; // the consumer is slow; go round (and check the deadline)
                }
                for (int i = 0; i < n; i++)
                {
                    StressEntry.write(ring, producer.slotOffset(start + i), next + i, generation);
                }
                if (++batches == stallAfterBatches)
                {
                    stall(out, producer, ring, mode, next, n, generation, deadline);
                }
                if (random.nextInt(8) == 0)
                {
                    // Widen the written-but-not-published window, where a random kill is most telling.
                    LockSupport.parkNanos(random.nextInt(50_000));
                }
                producer.publish();
                next += n;
            }
            out.println("DONE next=" + next);
        }
    }

    /** Stops inside the write-to-publish window and waits to be killed (bounded by the deadline and the parent's life). */
    private static void stall(
        final PrintStream out,
        final SingleWriterProducer producer,
        final AtomicBuffer ring,
        final String mode,
        final long from,
        final int count,
        final int generation,
        final long deadline)
    {
        boolean torn = false;
        if ("stall-torn".equals(mode))
        {
            final int extra = producer.claim(1);
            if (extra >= 0)
            {
                // Half an entry: the first dword of the next sequence, as a kill between the two stores leaves it.
                final long dword0 = ((from + count) << 16) | ((long)(generation & 0xFF) << 8) | StressEntry.KIND;
                ring.putLong(producer.slotOffset(extra), dword0);
                torn = true;
            }
        }
        out.println("STALLED from=" + from + " count=" + count + " torn=" + (torn ? 1 : 0));
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        while ((parent.isEmpty() || parent.get().isAlive()) && System.currentTimeMillis() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        System.exit(EXIT_ABANDONED);
    }
}
