package dev.cmdq.queue.mapped;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.ClaimJournal;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer process of {@link MultiProducerKillTest}: joins the Linux multi-producer queue of a ring
 * file ({@link MappedLinuxIssuer}) and issues random batches (1..16 commands, a quarter of them synced)
 * until a stop file appears, it is killed, it outlives its deadline, or its parent dies.
 *
 * <p>Every command is a {@link StressEntry} whose SEQUENCE is {@code id << 40 | n} (n counts this
 * producer's commands from 0) and whose FLAGS say where it sits in its call: bit 7 set on the first
 * command, bits 6..0 the call's command count; so the device can check that each call arrives whole,
 * contiguous and in order, and each producer's commands exactly once and in order.
 *
 * <p>Lines on stdout:
 * <pre>
 *   READY id=&lt;id&gt;
 *   STALLED step=&lt;step&gt;                         parked inside the window, waiting to be killed
 *   FAILED status=&lt;name&gt; call=&lt;c&gt; next=&lt;n&gt;    a call did not return OK (the process exits 5)
 *   DONE id=&lt;id&gt; next=&lt;n&gt; calls=&lt;c&gt;            after the stop file appeared
 * </pre>
 *
 * <p>Usage: {@code file id seed stopFile stall deadlineMillis timeoutMillis}; {@code stall} is
 * {@code none}, {@code jitter} (pauses of up to 50 µs after one step in twelve, so that a kill at a
 * random moment often lands inside a window), or {@code <journal step>:<before|after>:<calls first>}: from that call on, the first time
 * a call reaches the step it parks (before or after the step's record) until killed; a producer that is
 * to park at an exclusive-lock step issues no syncs.
 */
public final class LinuxProducerProcess
{
    /** Largest batch. */
    static final int MAX_BATCH = 16;
    /** Bits of the per-producer count in a SEQUENCE; the id sits above. */
    static final int ID_SHIFT = 40;
    /** FLAGS bit of a call's first command. */
    static final int FIRST = 0x80;
    /** Exit code: a call returned something else than OK. */
    static final int EXIT_FAILED = 5;
    /** Exit code: the deadline or the parent's death ended the run. */
    static final int EXIT_ABANDONED = 4;

    private LinuxProducerProcess()
    {
    }

    /**
     * @param args file, id, seed, stopFile, stall, deadlineMillis, timeoutMillis.
     */
    public static void main(final String[] args) throws Exception
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        final long id = Long.parseLong(args[1]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        final Path stopFile = Paths.get(args[3]);
        final boolean jitter = "jitter".equals(args[4]);
        final String[] stall = "none".equals(args[4]) || jitter ? null : args[4].split(":");
        final SplittableRandom jitterRandom = new SplittableRandom(Long.parseLong(args[2]) ^ 0x5DEECE66DL);
        final long deadline = System.currentTimeMillis() + Long.parseLong(args[5]);
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[6]));
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        final SteppedJournal[] hook = new SteppedJournal[1];

        try (MappedRingMemory memory = MappedRingMemory.open(Paths.get(args[0]));
            MappedLinuxIssuer issuer = new MappedLinuxIssuer(memory, new TestCompletionEntry(), CompletionWait.WRITE_BACK,
                WaitPolicy.withTimeout(timeoutNs), ProducerLeases.holderWord(ProcessHandle.current()),
                MappedLinuxIssuer.DEFAULT_SCAN_INTERVAL_NS, journal ->
                {
                    if (jitter)
                    {
                        return jittery(journal, jitterRandom);
                    }
                    if (stall == null)
                    {
                        return journal;
                    }
                    hook[0] = new SteppedJournal(journal, stall[0], "after".equals(stall[1]), () ->
                    {
                        out.println("STALLED step=" + stall[0] + ":" + stall[1]);
                        parkUntilKilled(parent, deadline);
                    }).armed(false);
                    return hook[0];
                }))
        {
            final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_BATCH * 16));
            final long armAt = stall == null ? Long.MAX_VALUE : Long.parseLong(stall[2]);
            long next = 0;
            long calls = 0;
            out.println("READY id=" + id);
            while (!Files.exists(stopFile))
            {
                if (System.currentTimeMillis() > deadline || parent.isPresent() && !parent.get().isAlive())
                {
                    System.exit(EXIT_ABANDONED);
                }
                if (calls == armAt)
                {
                    hook[0].armed(true);
                }
                final int n = 1 + random.nextInt(MAX_BATCH);
                // A victim meant to park in an exclusive window issues without sync: it must reach a full ring on a
                // paused device, not wait for a completion there.
                final boolean sync = random.nextInt(4) == 0 && (stall == null || !stall[0].startsWith("exclusive"));
                for (int i = 0; i < n; i++)
                {
                    StressEntry.write(commands, i * 16, (id << ID_SHIFT) | (next + i), (i == 0 ? FIRST : 0) | n);
                }
                final int status = issuer.issue(commands, 0, n, sync);
                if (status != IssueStatus.OK)
                {
                    out.println("FAILED status=" + IssueStatus.name(status) + " call=" + calls + " next=" + next);
                    System.exit(EXIT_FAILED);
                }
                next += n;
                calls++;
                if (random.nextInt(4) == 0)
                {
                    LockSupport.parkNanos(random.nextInt(200_000));
                }
            }
            out.println("DONE id=" + id + " next=" + next + " calls=" + calls);
        }
    }

    /**
     * After each step, now and then, a pause of up to 50 µs: widens every window of the algorithm, so a kill
     * at a random moment often lands inside one (a test JVM may allocate here; the hot path is not measured).
     */
    private static ClaimJournal jittery(final ClaimJournal journal, final SplittableRandom random)
    {
        return (ClaimJournal)Proxy.newProxyInstance(ClaimJournal.class.getClassLoader(), new Class<?>[] {ClaimJournal.class},
            (proxy, method, methodArgs) ->
            {
                final Object result;
                try
                {
                    result = method.invoke(journal, methodArgs);
                }
                catch (final InvocationTargetException e)
                {
                    throw e.getCause();
                }
                if (random.nextInt(12) == 0)
                {
                    LockSupport.parkNanos(1 + random.nextInt(50_000));
                }
                return result;
            });
    }

    private static void parkUntilKilled(final Optional<ProcessHandle> parent, final long deadline)
    {
        while ((parent.isEmpty() || parent.get().isAlive()) && System.currentTimeMillis() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        System.exit(EXIT_ABANDONED);
    }
}
