package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.testkit.StressEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A single-writer producer in another <em>process</em>, killed with SIGKILL over and over while this
 * process consumes the shared ring file: the consumer never executes a torn or unpublished entry, sees
 * every published sequence exactly once and in order, and every restarted producer resumes exactly at the
 * PROD the killed one published, overwriting what that one wrote but never published.
 *
 * <p>Rounds cycle through three kinds of kill: at a random time (the producer pauses between writing and
 * publishing now and then, so some kills land in that window), and two deterministic ones where the
 * producer stops on purpose after writing a batch (and, in one, half an entry) past PROD. After each kill
 * the test reads the slots past PROD from the file, records every sequence the dead generation left there,
 * and the consumer later checks that each of them arrived written by a later generation.
 *
 * <p>Size: {@code -Dcmdq.kill.rounds} (default CI-sized), seeded by {@code cmdq.stress.seed}.
 */
class SingleWriterKillTest
{
    private static final int ROUNDS = Integer.getInteger("cmdq.kill.rounds", 6);
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261123);
    private static final int LOG2_SIZE = 8;
    private static final long LINE_TIMEOUT_S = 60;
    private static final long DRAIN_TIMEOUT_MS = 30_000;
    /** Every producer ends itself after this long, even if this test forgets it. */
    private static final long PRODUCER_DEADLINE_MS = 120_000;
    private static final Pattern START = Pattern.compile("START prod=([0-9a-f]+) next=(\\d+)");
    private static final Pattern STALLED = Pattern.compile("STALLED from=(\\d+) count=(\\d+) torn=([01])");

    private Path dir;
    private Path file;
    private MappedRingMemory memory;
    private ChildJvm producer;
    private Thread consumerThread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Device device = new Device();

    /** The consumer's checks, on the consumer thread; the test reads them after the thread stopped or through volatiles. */
    private static final class Device
    {
        final AtomicReference<String> failure = new AtomicReference<>();
        /** Sequences a killed generation wrote but never published, with that generation's FLAGS byte. */
        final Map<Long, Integer> unpublished = new ConcurrentHashMap<>();
        volatile long expected;
        volatile long rewrittenSeen;
        int wrapIndexMask;

        int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (!StressEntry.isIntact(buffer, offset))
            {
                return fail("torn or foreign entry at CONS=0x" + Integer.toHexString(cons) + ": 0x" +
                    Long.toHexString(buffer.getLong(offset)) + " 0x" + Long.toHexString(buffer.getLong(offset + 8)));
            }
            final long sequence = StressEntry.sequence(buffer, offset);
            if (sequence != expected)
            {
                return fail("sequence " + sequence + " at CONS=0x" + Integer.toHexString(cons) + ", expected " + expected);
            }
            if ((sequence & wrapIndexMask) != cons)
            {
                return fail("sequence " + sequence + " in the slot of CONS=0x" + Integer.toHexString(cons));
            }
            final Integer deadGeneration = unpublished.get(sequence);
            if (deadGeneration != null)
            {
                final int generation = StressEntry.flags(buffer, offset);
                if (generation == deadGeneration)
                {
                    return fail("sequence " + sequence + " executed as written by killed generation " + generation +
                        ", which never published it");
                }
                rewrittenSeen = rewrittenSeen + 1;
            }
            expected = sequence + 1;
            return CommandError.NONE;
        }

        private int fail(final String message)
        {
            failure.compareAndSet(null, message);
            return CommandError.ILL; // halts the queue: nothing after the first failure is consumed
        }
    }

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-kill-test-");
        file = dir.resolve("q.ring");
        memory = MappedRingMemory.create(file, LOG2_SIZE, 0x4000_0000L);
        device.wrapIndexMask = QueueIndex.wrapIndexMask(LOG2_SIZE);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (producer != null)
        {
            producer.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        stop.set(true);
        if (consumerThread != null)
        {
            consumerThread.join(10_000);
        }
        memory.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void killedProducersNeverLoseTearOrDuplicateAndResumeAtProd() throws Exception
    {
        startConsumer();
        final MappedQueueRegisters registers = memory.registers();
        final AtomicBuffer ring = memory.buffer();
        final SplittableRandom random = new SplittableRandom(SEED);
        int randomWindowKills = 0;

        for (int round = 0; round < ROUNDS; round++)
        {
            final int generation = round + 1;
            final String mode = round % 3 == 0 ? "run" : round % 3 == 1 ? "stall-publish" : "stall-torn";
            final long resumeAt = awaitDrained(registers);
            final int prod = registers.getProdAcquire();

            startProducer(generation, mode, -1);
            assertStart(prod, resumeAt);
            if ("run".equals(mode))
            {
                Thread.sleep(20 + random.nextInt(180));
            }
            Matcher stalled = null;
            if (!"run".equals(mode))
            {
                stalled = producer.expect(STALLED, LINE_TIMEOUT_S);
                assertEquals(Long.parseLong(stalled.group(1)), awaitDrained(registers),
                    "the stalled batch starts right at the published PROD");
            }
            assertEquals(137, producer.kill(LINE_TIMEOUT_S), "SIGKILL (128 + 9)");
            producer = null;

            final long published = awaitDrained(registers);
            final int left = recordUnpublished(ring, registers.getProdAcquire(), published, generation);
            if (stalled != null)
            {
                final int count = Integer.parseInt(stalled.group(2));
                final boolean torn = "1".equals(stalled.group(3));
                assertEquals(count + (torn ? 1 : 0), left, "the stalled producer's writes are in the file past PROD");
                if (torn)
                {
                    final int tornSlot = (registers.getProdAcquire() + count) & (memory.capacity() - 1);
                    assertFalse(StressEntry.isIntact(ring, tornSlot << RingMemory.ENTRY_SHIFT),
                        "the half-written entry fails its checksum");
                }
            }
            if (left > 0 && stalled == null)
            {
                randomWindowKills++;
            }
        }

        // A last producer runs to a fixed sequence well past every entry a dead one left, and exits by itself.
        final long resumeAt = awaitDrained(registers);
        final long stopAt = resumeAt + 4L * memory.capacity() + StressProducerProcess.MAX_BATCH;
        startProducer(ROUNDS + 1, "run", stopAt);
        assertStart(registers.getProdAcquire(), resumeAt);
        final Matcher done = producer.expect(Pattern.compile("DONE next=(\\d+)"), LINE_TIMEOUT_S);
        assertEquals(stopAt, Long.parseLong(done.group(1)));
        assertTrue(producer.process().waitFor(LINE_TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(0, producer.process().exitValue());
        producer = null;
        assertEquals(stopAt, awaitDrained(registers), "every published entry consumed exactly once");
        assertNull(device.failure.get());
        assertEquals(device.unpublished.size(), device.rewrittenSeen,
            "every sequence a killed producer left unpublished arrived, rewritten by a later producer");
        System.out.println("SingleWriterKillTest: " + ROUNDS + " kills (" + (ROUNDS + 2) / 3 + " at random times, " +
            randomWindowKills + " of those inside the write-to-publish window), " + device.unpublished.size() +
            " unpublished entries rewritten, " + stopAt + " entries consumed");
    }

    /** Records the entries the killed generation left past PROD; returns how many slots it had touched. */
    private int recordUnpublished(final AtomicBuffer ring, final int prod, final long published, final int generation)
    {
        int left = 0;
        for (int i = 0; i <= StressProducerProcess.MAX_BATCH; i++)
        {
            final int offset = ((prod + i) & (memory.capacity() - 1)) << RingMemory.ENTRY_SHIFT;
            if (StressEntry.isStressEntry(ring, offset) && StressEntry.sequence(ring, offset) == published + i &&
                StressEntry.flags(ring, offset) == (generation & 0xFF))
            {
                device.unpublished.put(published + i, generation & 0xFF); // FLAGS holds 8 bits of it
                left++;
            }
            else
            {
                break;
            }
        }
        return left;
    }

    private void startConsumer()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, memory.registers(), device::onEntry, null);
        consumerThread = new Thread(() ->
        {
            final IdleStrategy idle = new BackoffIdleStrategy(
                16, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
            try (consumer)
            {
                while (!stop.get())
                {
                    idle.idle(consumer.drain(64));
                }
            }
        }, "mapped-ring-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    /** Waits until the consumer reached PROD (the producer is dead or done); returns the next sequence. */
    private long awaitDrained(final MappedQueueRegisters registers) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        while ((registers.getConsAcquire() & device.wrapIndexMask) != registers.getProdAcquire())
        {
            assertNull(device.failure.get());
            if (System.currentTimeMillis() > deadline)
            {
                fail("consumer did not reach PROD=0x" + Integer.toHexString(registers.getProdAcquire()) +
                    " (CONS=0x" + Integer.toHexString(registers.getConsAcquire()) + ")");
            }
            Thread.sleep(1);
        }
        assertNull(device.failure.get());
        return device.expected;
    }

    private void assertStart(final int prod, final long resumeAt) throws Exception
    {
        final Matcher start = producer.expect(START, LINE_TIMEOUT_S);
        assertEquals(prod, Integer.parseInt(start.group(1), 16), "the restarted producer read the published PROD");
        assertEquals(resumeAt, Long.parseLong(start.group(2)), "and resumes right after the last published entry");
    }

    private void startProducer(final int generation, final String mode, final long stopAt) throws IOException
    {
        producer = ChildJvm.start(StressProducerProcess.class, dir.resolve("producer-" + generation + ".err"),
            file.toString(), Integer.toString(generation), Long.toString(SEED + generation), mode,
            Long.toString(stopAt), Long.toString(PRODUCER_DEADLINE_MS));
    }
}
