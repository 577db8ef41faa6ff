package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.IssuerStress;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import com.sun.management.ThreadMXBean;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatch issuer in both modes with real threads: group commit counted on the device side, close
 * under load, the combining hand-off race on a tiny ring, FORCE_SYNC through {@link CommandBatch}, a
 * writer thread that allocates nothing (its allocated-bytes counter read from the test thread). The
 * contract, stress and zero-allocation suites over every strategy run it too ({@code IssuerFactories}).
 */
class DispatchIssuerTest
{
    private static final int REQUESTERS = 6;
    private static final long JOIN_MS = TimeUnit.SECONDS.toMillis(30);

    private final DirectRingMemory memory = DirectRingMemory.allocate(8);
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private long commandsExecuted;
    private long completionsExecuted;
    private int mostCommandsBetweenSyncs;
    private int commandsSinceSync;
    private QueueConsumer consumer;
    private DispatchIssuer issuer;

    @AfterEach
    void close()
    {
        if (issuer != null)
        {
            issuer.close();
        }
        if (consumer != null)
        {
            consumer.close();
        }
        memory.close();
        registers.close();
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (completion.isCompletion(buffer, offset))
        {
            completionsExecuted++;
            commandsSinceSync = 0;
        }
        else
        {
            commandsExecuted++;
            mostCommandsBetweenSyncs = Math.max(mostCommandsBetweenSyncs, ++commandsSinceSync);
        }
        return CommandError.NONE;
    }

    private static UnsafeBuffer commands(final long first, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * RingMemory.ENTRY_BYTES, 64));
        for (int i = 0; i < count; i++)
        {
            StressEntry.write(buffer, i * RingMemory.ENTRY_BYTES, first + i, 0);
        }
        return buffer;
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.yield();
        }
    }

    @ParameterizedTest
    @EnumSource(DispatchMode.class)
    void syncRequestersQueuedTogetherShareOneSyncExecutedOnTheDevice(final DispatchMode mode) throws Exception
    {
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        issuer = new DispatchIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
            WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(60)), mode);
        final Dispatcher dispatcher = issuer.dispatcher();

        // A first sync call occupies the writer: the device does not run, so its sync stays pending.
        final AtomicIntegerArray status = new AtomicIntegerArray(REQUESTERS + 1);
        final Thread first = new Thread(() -> status.set(0, issuer.issue(commands(0, 2), 0, 2, true)));
        first.start();
        awaitTrue(() -> registers.getProdAcquire() == 3, "the first call's 2 commands and sync published");

        // Meanwhile REQUESTERS more sync calls queue up behind it.
        final Thread[] threads = new Thread[REQUESTERS];
        for (int i = 0; i < REQUESTERS; i++)
        {
            final int id = i + 1;
            threads[i] = new Thread(() -> status.set(id, issuer.issue(commands(100L * id, 3), 0, 3, true)));
            threads[i].start();
        }
        awaitTrue(() -> dispatcher.queued() == REQUESTERS, "all requests queued");
        for (int i = 0; i <= REQUESTERS; i++)
        {
            assertEquals(0, status.get(i), "nobody released before the device ran");
        }

        // Now the device runs: the first sync completes, then one drain takes all the others.
        final Thread device = new Thread(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                if (consumer.doWork() == 0)
                {
                    Thread.yield();
                }
            }
        });
        device.start();
        first.join(JOIN_MS);
        for (final Thread t : threads)
        {
            t.join(JOIN_MS);
            assertFalse(t.isAlive());
        }
        device.interrupt();
        device.join(JOIN_MS);

        for (int i = 0; i <= REQUESTERS; i++)
        {
            assertEquals(IssueStatus.OK, status.get(i), "requester " + i);
        }
        assertEquals(2 + 3L * REQUESTERS, commandsExecuted);
        assertEquals(2, completionsExecuted, "one sync for the first call, ONE for the " + REQUESTERS + " queued together");
        assertEquals(2, dispatcher.syncsInserted());
        assertEquals(2, dispatcher.groups());
        assertEquals(REQUESTERS + 1, dispatcher.requestsServed());
    }

    @ParameterizedTest
    @EnumSource(DispatchMode.class)
    void closeUnderLoadReleasesEveryRequesterWithClosed(final DispatchMode mode) throws Exception
    {
        issuer = new DispatchIssuer(memory, registers, completion, CompletionWait.CONS_POLL,
            WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(60)), mode);
        final AtomicIntegerArray status = new AtomicIntegerArray(REQUESTERS);
        final List<String> crashes = new CopyOnWriteArrayList<>();
        final Thread[] threads = new Thread[REQUESTERS];
        for (int i = 0; i < REQUESTERS; i++)
        {
            final int id = i;
            status.set(id, 1);
            threads[i] = new Thread(() ->
            {
                final UnsafeBuffer cmds = commands(1000L * id, 4);
                // No device: the first sync never completes, so every thread ends up waiting.
                int s;
                do
                {
                    s = issuer.issue(cmds, 0, 4, (id & 1) == 0);
                }
                while (s == IssueStatus.OK);
                status.set(id, s);
            });
            threads[i].setUncaughtExceptionHandler((t, e) -> crashes.add(t.getName() + ": " + e));
            threads[i].start();
        }
        awaitTrue(() -> registers.getProdAcquire() != 0, "a first insertion");
        // Under load: a sync that never completes holds the writer, so later requests queue behind it.
        awaitTrue(() -> issuer.dispatcher().queued() > 0, "requests queued behind the stalled writer");
        issuer.close();
        for (int i = 0; i < REQUESTERS; i++)
        {
            threads[i].join(JOIN_MS);
            assertFalse(threads[i].isAlive(), "requester " + i + " released");
            assertEquals(IssueStatus.CLOSED, status.get(i), "requester " + i + ": by close, not by the 60 s bound");
        }
        assertEquals(List.of(), crashes);
        assertEquals(IssueStatus.CLOSED, issuer.issue(commands(0, 1), 0, 1, false));
    }

    @Test
    void forceSyncRefusesA64CommandCallByNameAndABatchNeverQueuesMoreThan63AheadOfASync()
    {
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
        issuer = new DispatchIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE),
            DispatchMode.COMBINING, true);
        assertEquals("dispatch-combining-force-sync", issuer.name());
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> issuer.issue(commands(0, 64), 0, 64, false));
        assertTrue(refused.getMessage().contains("count=64"), refused.getMessage());

        final CommandBatch batch = new CommandBatch(issuer, true);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(IssueStatus.OK, batch.add(i << 8, i));
        }
        assertEquals(IssueStatus.OK, batch.submit());
        assertEquals(1000, commandsExecuted);
        assertEquals(63, mostCommandsBetweenSyncs);
    }

    @Test
    void anInterruptedCombinerDoesNotStopTheWriterForEverybody()
    {
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
        issuer = new DispatchIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
            new WaitPolicy(TimeUnit.MILLISECONDS.toNanos(200), () -> idle, SystemNanoClock.INSTANCE), DispatchMode.COMBINING);
        final UnsafeBuffer cmds = commands(0, 2);
        Thread.currentThread().interrupt();
        try
        {
            assertEquals(IssueStatus.OK, issuer.issue(cmds, 0, 2, true));
        }
        finally
        {
            Thread.interrupted();
        }
        assertEquals(IssueStatus.OK, issuer.issue(cmds, 0, 2, true), "the writer still serves");
        assertEquals(4, commandsExecuted);
        assertEquals(2, completionsExecuted);
    }

    @Test
    void theWriterThreadAllocatesNothingInAWarmLoop() throws Exception
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(consumer);
        issuer = new DispatchIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE), DispatchMode.WRITER_THREAD);
        awaitTrue(() -> issuer.writerThread() != null && issuer.writerThread().isAlive(), "the writer thread started");
        final long writer = issuer.writerThread().getId();
        final UnsafeBuffer cmds = commands(0, 64);
        final int[] failures = new int[1];
        final Runnable loop = () ->
        {
            for (int call = 0; call < 5_000; call++)
            {
                if (issuer.issue(cmds, 0, call % 65, (call & 3) == 0) != IssueStatus.OK)
                {
                    failures[0]++;
                }
            }
        };
        for (int warm = 0; warm < 20; warm++)
        {
            loop.run();
        }
        // As AllocationProbe: a late JIT compilation can charge a few stray bytes to a thread once; an
        // allocation on the writer's path would show in every window. One of three windows must be clean.
        final long[] windows = new long[3];
        boolean clean = false;
        for (int w = 0; w < windows.length && !clean; w++)
        {
            final long before = threads.getThreadAllocatedBytes(writer);
            for (int run = 0; run < 3; run++)
            {
                loop.run();
            }
            windows[w] = threads.getThreadAllocatedBytes(writer) - before;
            clean = windows[w] == 0;
        }
        assertTrue(clean, "bytes the writer thread allocated per window of 15,000 calls: " + Arrays.toString(windows));
        assertEquals(0, failures[0]);
        assertTrue(issuer.dispatcher().requestsServed() > 100_000);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DispatchMode.class)
    @Tag("stress")
    void manyThreadsOnATinyRingLoseNothingAcrossTheWriterHandOff(final DispatchMode mode) throws Exception
    {
        // 16 requesters on 8x oversubscribed cores, a 128-entry ring that is full most of the time: the
        // writer role (combining) or the writer's attention (thread) changes hands constantly.
        final IssuerStress.Result result = new IssuerStress(
            (m, r, c, w) -> new DispatchIssuer(m, r, c, CompletionWait.WRITE_BACK, w, mode),
            16, IssuerStress.OPS / 4, IssuerStress.SEED, WaitPolicy.linuxDefault(), false, true,
            DispatchIssuer.MIN_LOG2_SIZE).run();
        System.out.println("dispatch " + mode + ", 16 producers, 128 entries: " + result);
        assertEquals(0, result.violations(), result.toString());
        assertEquals(IssuerStress.OPS / 4 / 16 * 16, result.commands(), result.toString());
        assertTrue(result.completions() > 0 && result.completions() <= result.syncs(), result.toString());
    }
}
