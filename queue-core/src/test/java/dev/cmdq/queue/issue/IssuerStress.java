package dev.cmdq.queue.issue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.EntryHandler;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One multi-producer stress run: producer threads issue random calls (1..64 commands, random sync,
 * occasional lone syncs) through a {@link CommandIssuer}; the real {@link QueueConsumer} on its own
 * thread is the device and checks every entry it executes. The oracle is independent of the issuer: it
 * knows only what each producer wrote into its entries.
 *
 * <pre>
 *   entry = StressEntry: SEQUENCE = producer (bits 47:40) | per-producer sequence (39:0),
 *           FLAGS bit 0 = last command of its call, checksum over dword0
 *
 *   device checks, per entry:  intact (no torn or foreign entry)
 *                              sequence == next expected for its producer (nothing lost, duplicated
 *                                                                          or reordered)
 *                              no other producer's entry or a completion inside an open call
 *                                                                         (each call contiguous)
 *   producer checks, per sync: after issue() returned OK, the device has executed every command of the
 *                              call (its "executed up to" mark, set before CONS moves, covers them)
 *   end:                        every producer's last sequence executed; one completion per sync
 * </pre>
 */
public final class IssuerStress
{
    /** Commands in the whole run, all thread counts alike: {@code -Dcmdq.stress.ops}. */
    public static final long OPS = Long.getLong("cmdq.stress.ops", 1_000_000);
    /** Fixed seed in CI: {@code -Dcmdq.stress.seed}. */
    public static final long SEED = Long.getLong("cmdq.stress.seed", 20261123);
    /** 256 entries: wraps every few calls. */
    public static final int LOG2_SIZE = 8;
    /** FLAGS bit: last command of its call. */
    static final int LAST = 1;
    private static final int PRODUCER_SHIFT = 40;
    private static final long SEQUENCE_MASK = (1L << PRODUCER_SHIFT) - 1;
    private static final long SAFETY_DEADLINE_MS = TimeUnit.MINUTES.toMillis(5);
    private static final int KEPT_VIOLATIONS = 10;

    /**
     * What a run observed.
     *
     * @param calls       issue() calls that returned OK.
     * @param commands    commands the device executed intact and in order.
     * @param syncs       sync calls that returned OK.
     * @param completions completion entries the device executed.
     * @param violations  how many checks failed.
     * @param first       the first failures, readable.
     */
    public record Result(long calls, long commands, long syncs, long completions, long violations, List<String> first)
    {
        @Override
        public String toString()
        {
            return "calls=" + calls + " commands=" + commands + " syncs=" + syncs + " completions=" + completions +
                " violations=" + violations + (first.isEmpty() ? "" : " first=" + first);
        }
    }

    private final IssuerFactories.Factory factory;
    private final int producers;
    private final long opsPerProducer;
    private final long seed;
    private final WaitPolicy wait;
    private final boolean stopAtFirstViolation;
    private final boolean coalescesSyncs;
    private final int log2Size;

    private final AtomicLong violations = new AtomicLong();
    private final List<String> first = new ArrayList<>();
    private final AtomicBoolean abort = new AtomicBoolean();
    private final AtomicLongArray executedUpTo;
    private final AtomicLong syncsOk = new AtomicLong();
    private final AtomicLong callsOk = new AtomicLong();
    private volatile CommandIssuer issuer;

    /**
     * @param factory              the strategy.
     * @param producers            producer threads, 1..255.
     * @param ops                  commands in total, split evenly across producers.
     * @param seed                 random seed (each producer derives its own).
     * @param wait                 the issuer's wait policy.
     * @param stopAtFirstViolation stop producing after the first failed check (negative controls).
     */
    public IssuerStress(
        final IssuerFactories.Factory factory,
        final int producers,
        final long ops,
        final long seed,
        final WaitPolicy wait,
        final boolean stopAtFirstViolation)
    {
        this(factory, producers, ops, seed, wait, stopAtFirstViolation, false);
    }

    /**
     * @param factory              the strategy.
     * @param producers            producer threads, 1..255.
     * @param ops                  commands in total, split evenly across producers.
     * @param seed                 random seed (each producer derives its own).
     * @param wait                 the issuer's wait policy.
     * @param stopAtFirstViolation stop producing after the first failed check (negative controls).
     * @param coalescesSyncs       the strategy may complete several sync calls with one completion entry:
     *                             then at most (not exactly) one completion per sync call, and at least one
     *                             when there was a sync call.
     */
    public IssuerStress(
        final IssuerFactories.Factory factory,
        final int producers,
        final long ops,
        final long seed,
        final WaitPolicy wait,
        final boolean stopAtFirstViolation,
        final boolean coalescesSyncs)
    {
        this(factory, producers, ops, seed, wait, stopAtFirstViolation, coalescesSyncs, LOG2_SIZE);
    }

    /**
     * @param factory              the strategy.
     * @param producers            producer threads, 1..255.
     * @param ops                  commands in total, split evenly across producers.
     * @param seed                 random seed (each producer derives its own).
     * @param wait                 the issuer's wait policy.
     * @param stopAtFirstViolation stop producing after the first failed check (negative controls).
     * @param coalescesSyncs       see {@link #IssuerStress(IssuerFactories.Factory, int, long, long, WaitPolicy,
     *                             boolean, boolean)}.
     * @param log2Size             log2 of the ring's entries (default {@value #LOG2_SIZE}).
     */
    public IssuerStress(
        final IssuerFactories.Factory factory,
        final int producers,
        final long ops,
        final long seed,
        final WaitPolicy wait,
        final boolean stopAtFirstViolation,
        final boolean coalescesSyncs,
        final int log2Size)
    {
        this.log2Size = log2Size;
        this.coalescesSyncs = coalescesSyncs;
        this.factory = factory;
        this.producers = producers;
        this.opsPerProducer = ops / producers;
        this.seed = seed;
        this.wait = wait;
        this.stopAtFirstViolation = stopAtFirstViolation;
        this.executedUpTo = new AtomicLongArray(producers);
    }

    /**
     * @return what the run observed.
     * @throws InterruptedException if interrupted while joining.
     */
    public Result run() throws InterruptedException
    {
        final TestCompletionEntry completion = new TestCompletionEntry();
        final Device device = new Device(completion);
        for (int p = 0; p < producers; p++)
        {
            executedUpTo.set(p, -1);
        }
        try (DirectRingMemory memory = DirectRingMemory.allocate(log2Size);
            MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            issuer = factory.create(memory, registers, completion, wait);
            final QueueConsumer consumer = new QueueConsumer(memory, registers, device, completion, 256);
            final AtomicBoolean producersDone = new AtomicBoolean();
            final Thread deviceThread = new Thread(() -> runDevice(consumer, producersDone), "stress-device");
            final Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++)
            {
                final int id = p;
                threads[p] = new Thread(() -> produce(id), "stress-producer-" + p);
            }
            deviceThread.start();
            for (final Thread t : threads)
            {
                t.start();
            }
            for (final Thread t : threads)
            {
                t.join(SAFETY_DEADLINE_MS);
                if (t.isAlive())
                {
                    violation("producer " + t.getName() + " did not finish within the safety deadline");
                    abort.set(true);
                    issuer.close();
                    t.join();
                }
            }
            producersDone.set(true);
            deviceThread.join();
            issuer.close();
            consumer.close();

            long executed = 0;
            for (int p = 0; p < producers; p++)
            {
                executed += device.expected[p];
                if (!abort.get() && device.expected[p] != opsPerProducer)
                {
                    violation("producer " + p + ": " + device.expected[p] + " of " + opsPerProducer + " commands executed");
                }
            }
            final boolean completionsMatch = coalescesSyncs ?
                device.completions <= syncsOk.get() && (syncsOk.get() == 0 || device.completions > 0) :
                device.completions == syncsOk.get();
            if (!abort.get() && !completionsMatch)
            {
                violation(device.completions + " completions executed for " + syncsOk.get() + " syncs");
            }
            synchronized (first)
            {
                return new Result(callsOk.get(), executed, syncsOk.get(), device.completions, violations.get(), List.copyOf(first));
            }
        }
    }

    private void runDevice(final QueueConsumer consumer, final AtomicBoolean producersDone)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(
            10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
        final long end = System.currentTimeMillis() + SAFETY_DEADLINE_MS;
        while (true)
        {
            final boolean done = producersDone.get();
            final int n = consumer.drain(256);
            if (n == 0 && done)
            {
                // Everything the producers published is consumed: PROD no longer moves.
                return;
            }
            idle.idle(n);
            if (System.currentTimeMillis() > end)
            {
                violation("device stopped at the safety deadline");
                return;
            }
        }
    }

    private void produce(final int id)
    {
        final SplittableRandom random = new SplittableRandom(seed * 31 + id);
        final UnsafeBuffer staging = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * RingMemory.ENTRY_BYTES, 64));
        final long tag = (long)id << PRODUCER_SHIFT;
        long seq = 0;
        while (seq < opsPerProducer && !abort.get())
        {
            final int count;
            final boolean sync;
            if (random.nextInt(50) == 0)
            {
                count = 0;
                sync = true;
            }
            else
            {
                count = (int)Math.min(1 + random.nextInt(CommandIssuer.MAX_COMMANDS), opsPerProducer - seq);
                sync = random.nextInt(4) == 0;
            }
            for (int i = 0; i < count; i++)
            {
                StressEntry.write(staging, i * RingMemory.ENTRY_BYTES, tag | (seq + i), i == count - 1 ? LAST : 0);
            }
            final int status = issuer.issue(staging, 0, count, sync);
            if (status != IssueStatus.OK)
            {
                if (!abort.get())
                {
                    violation("producer " + id + " issue(" + count + ", sync=" + sync + ") at seq " + seq +
                        " returned " + IssueStatus.name(status));
                }
                return;
            }
            seq += count;
            callsOk.incrementAndGet();
            if (sync)
            {
                syncsOk.incrementAndGet();
                final long executed = executedUpTo.get(id);
                if (executed < seq - 1)
                {
                    violation("producer " + id + ": sync released with its commands up to seq " + (seq - 1) +
                        " but only " + executed + " executed");
                }
            }
        }
    }

    private void violation(final String what)
    {
        violations.incrementAndGet();
        synchronized (first)
        {
            if (first.size() < KEPT_VIOLATIONS)
            {
                first.add(what);
            }
        }
        if (stopAtFirstViolation && abort.compareAndSet(false, true))
        {
            final CommandIssuer i = issuer;
            if (i != null)
            {
                i.close();
            }
        }
    }

    /** The device's action: checks every entry. Runs on the device thread only. */
    private final class Device implements EntryHandler
    {
        private final TestCompletionEntry completion;
        private final long[] expected = new long[producers];
        private int openCall = -1;
        private long completions;

        Device(final TestCompletionEntry completion)
        {
            this.completion = completion;
        }

        @Override
        public int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (completion.isCompletion(buffer, offset))
            {
                completions++;
                if (openCall >= 0)
                {
                    violation("completion at cons=0x" + Integer.toHexString(cons) + " inside a call of producer " + openCall);
                    openCall = -1;
                }
                return CommandError.NONE;
            }
            if (!StressEntry.isIntact(buffer, offset))
            {
                violation("torn or foreign entry at cons=0x" + Integer.toHexString(cons) + ": 0x" +
                    Long.toHexString(buffer.getLong(offset)) + " 0x" + Long.toHexString(buffer.getLong(offset + 8)));
                return CommandError.NONE;
            }
            final long sequence = StressEntry.sequence(buffer, offset);
            final int producer = (int)(sequence >>> PRODUCER_SHIFT);
            final long seq = sequence & SEQUENCE_MASK;
            if (producer >= producers)
            {
                violation("entry of unknown producer " + producer + " at cons=0x" + Integer.toHexString(cons));
                return CommandError.NONE;
            }
            if (openCall >= 0 && producer != openCall)
            {
                violation("call of producer " + openCall + " interleaved with producer " + producer + " seq " + seq +
                    " at cons=0x" + Integer.toHexString(cons));
            }
            if (seq != expected[producer])
            {
                violation("producer " + producer + ": got seq " + seq + ", expected " + expected[producer] +
                    (seq < expected[producer] ? " (duplicate or reordered)" : " (lost)") +
                    " at cons=0x" + Integer.toHexString(cons));
            }
            expected[producer] = Math.max(expected[producer], seq + 1);
            executedUpTo.lazySet(producer, expected[producer] - 1);
            openCall = (StressEntry.flags(buffer, offset) & LAST) != 0 ? -1 : producer;
            return CommandError.NONE;
        }
    }
}
