package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.lockfree.ProdCons;
import dev.cmdq.queue.lockfree.SharedCmdqState;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Linux's multi-producer algorithm across <em>processes</em>: two surviving producer processes and, each
 * round, a third one that is killed with SIGKILL — at a random moment (its steps jittered by short
 * pauses, so the moment often falls inside a window), or parked on purpose inside one
 * named window of the algorithm ({@link SteppedJournal}) — all on one mapped ring, with the device (a
 * {@link QueueConsumer}) in this JVM checking every entry.
 *
 * <p>Asserted: the survivors complete every call with OK under their wait bound (a survivor that gets
 * anything else prints it and exits, which fails the test), so they never block past it; the device
 * never executes a torn or foreign entry; each call arrives whole and contiguous, each producer's
 * commands exactly once and in order; the killed producer's last call is a prefix of its commands
 * followed by no-op completions (nothing of it, all of it, or the valid-map words it had flipped), never
 * garbage; the dead lease is freed (by a survivor whose wait it blocked, else by a supervisor's explicit
 * repair); and at the end the lock is free and PROD = owner_prod = llq.prod with OWNED clear.
 *
 * <p>Size: {@code -Dcmdq.kill.rounds} (default CI-sized) in {@link #killedProducersAreRepairedAndSurvivorsNeverBlock};
 * the {@code slow} test parks a victim in every window, {@code -Dcmdq.kill.windowPasses} times (default 1,
 * about 20 s). Seeded by {@code cmdq.stress.seed}.
 */
class MultiProducerKillTest
{
    private static final int ROUNDS = Integer.getInteger("cmdq.kill.rounds", 6);
    /** Passes over every window in the slow form. */
    private static final int WINDOW_PASSES = Integer.getInteger("cmdq.kill.windowPasses", 1);
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261201);
    private static final int LOG2_SIZE = 8;
    private static final long DEVICE = 0x4000_0000L;
    private static final long LINE_TIMEOUT_S = 60;
    private static final long CHILD_DEADLINE_MS = 180_000;
    /** The survivors' wait bound: every call must return OK within it. */
    private static final long WAIT_TIMEOUT_MS = 10_000;
    /** How long survivors get to repair a victim before the supervisor does. */
    private static final long SURVIVOR_REPAIR_MS = 2_000;
    private static final int SURVIVORS = 2;
    private static final Pattern READY = Pattern.compile("READY id=(\\d+)");
    private static final Pattern STALLED = Pattern.compile("(STALLED step=.+|FAILED .+)");
    private static final Pattern DONE = Pattern.compile("DONE id=(\\d+) next=(\\d+) calls=(\\d+)");
    /** Windows a victim parks in: journal step and whether its record was stored. */
    private static final String[] WINDOWS =
        {
            "reserving:after", "claimed:before", "claimed:after", "published:before", "published:after",
            "gathering:after", "gathered:before", "gathered:after", "handedOver:before",
            "sharedLocking:after", "sharedLocked:before", "sharedLocked:after", "sharedUnlocking:after",
            "sharedUnlocked:before", "exclusiveTrying:after", "exclusiveLocked:before", "exclusiveLocked:after",
            "exclusiveUnlocking:after", "exclusiveUnlocked:before"
        };

    private Path dir;
    private Path file;
    private Path stopFile;
    private MappedRingMemory memory;
    private final List<ChildJvm> children = new ArrayList<>();
    private Thread consumerThread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Device device = new Device();

    /** The device's checks, on the consumer thread. */
    private static final class Device
    {
        final AtomicReference<String> failure = new AtomicReference<>();
        final long[] next = new long[256];
        final Set<Long> killed = ConcurrentHashMap.newKeySet();
        final TestCompletionEntry completion = new TestCompletionEntry();
        /** Producer of the call being executed, -1 between calls. */
        long callId = -1;
        int callLeft;
        boolean callCut;
        volatile long noOps;
        volatile long cutCalls;

        int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (completion.isCompletion(buffer, offset))
            {
                if (completion.writeBackAddress(buffer, offset) != CompletionEntry.NO_WRITE_BACK)
                {
                    return callId >= 0 && !callCut ? fail("sync inside a call of producer " + callId, cons) : CommandError.NONE;
                }
                noOps = noOps + 1;
                if (callId >= 0)
                {
                    if (!killed.contains(callId))
                    {
                        return fail("no-op inside a call of live producer " + callId, cons);
                    }
                    callCut = true;
                    if (--callLeft == 0)
                    {
                        callId = -1;
                    }
                    return CommandError.NONE;
                }
                return killed.isEmpty() ? fail("no-op while nobody was killed", cons) : CommandError.NONE;
            }
            if (!StressEntry.isIntact(buffer, offset))
            {
                return fail("torn or foreign entry 0x" + Long.toHexString(buffer.getLong(offset)) + " 0x" +
                    Long.toHexString(buffer.getLong(offset + 8)), cons);
            }
            final long sequence = StressEntry.sequence(buffer, offset);
            final long id = sequence >>> LinuxProducerProcess.ID_SHIFT;
            final long n = sequence & ((1L << LinuxProducerProcess.ID_SHIFT) - 1);
            final int flags = StressEntry.flags(buffer, offset);
            if (id <= 0 || id >= next.length)
            {
                return fail("unknown producer " + id, cons);
            }
            if (n != next[(int)id])
            {
                return fail("producer " + id + ": command " + n + ", expected " + next[(int)id] + " (lost, duplicated or reordered)", cons);
            }
            if ((flags & LinuxProducerProcess.FIRST) != 0)
            {
                if (callId >= 0)
                {
                    return fail("call of producer " + id + " starts inside a call of producer " + callId, cons);
                }
                callId = id;
                callLeft = flags & 0x7F;
                callCut = false;
            }
            else if (callId != id || callCut)
            {
                return fail("command " + n + " of producer " + id + " outside its call (inside " + callId +
                    (callCut ? ", after a no-op" : "") + ")", cons);
            }
            next[(int)id] = n + 1;
            if (--callLeft == 0)
            {
                callId = -1;
            }
            return CommandError.NONE;
        }

        /** A killed producer's call that ended in no-ops: it is over, whatever its count said. */
        void endCutCall()
        {
            if (callId >= 0 && killed.contains(callId))
            {
                cutCalls = cutCalls + 1;
                callId = -1;
            }
        }

        private int fail(final String message, final int cons)
        {
            failure.compareAndSet(null, message + " at CONS=0x" + Integer.toHexString(cons));
            return CommandError.ILL; // halts the queue: nothing after the first failure is consumed
        }
    }

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-mp-kill-test-");
        file = dir.resolve("q.ring");
        stopFile = dir.resolve("stop");
        memory = MappedRingMemory.create(file, LOG2_SIZE, DEVICE);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (final ChildJvm child : children)
        {
            child.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
    void killedProducersAreRepairedAndSurvivorsNeverBlock() throws Exception
    {
        run(ROUNDS, false);
    }

    @Test
    @Tag("slow")
    void aVictimParkedInEveryWindowIsRepaired() throws Exception
    {
        run(WINDOW_PASSES * WINDOWS.length, true);
    }

    private void run(final int rounds, final boolean everyWindow) throws Exception
    {
        startConsumer();
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<ChildJvm> survivors = new ArrayList<>();
        for (int id = 1; id <= SURVIVORS; id++)
        {
            final ChildJvm survivor = start(id, "none");
            survivors.add(survivor);
            survivor.expect(READY, LINE_TIMEOUT_S);
        }
        // A supervisor for the victims whose death blocks no survivor (e.g. killed between calls).
        final MappedLinuxIssuer supervisor = MappedLinuxIssuer.join(memory, device.completion,
            dev.cmdq.queue.issue.CompletionWait.WRITE_BACK, dev.cmdq.queue.issue.WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(1)));
        int repairedBySurvivors = 0;
        int stalledKills = 0;
        int randomInWindow = 0;
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                final int id = 10 + round;
                final String window;
                if (everyWindow)
                {
                    window = WINDOWS[round % WINDOWS.length];
                }
                else
                {
                    window = round % 2 == 0 ? null : WINDOWS[random.nextInt(WINDOWS.length)];
                }
                final boolean exclusive = window != null && window.startsWith("exclusive");
                // Armed after some calls, except for the exclusive windows: their first wait for space is on the
                // paused device, and must already park.
                final int armAt = exclusive ? 0 : 5 + random.nextInt(30);
                final ChildJvm victim = start(id, window == null ? "jitter" : window + ":" + armAt);
                victim.expect(READY, LINE_TIMEOUT_S);
                if (window == null)
                {
                    Thread.sleep(20 + random.nextInt(300));
                }
                else
                {
                    // For the exclusive windows the device pauses 20 ms at a time: the ring fills and producers race
                    // for the exclusive CONS refresh, until the victim wins one and parks; short pauses keep every
                    // wait of the survivors far inside its bound.
                    final AtomicBoolean parked = new AtomicBoolean();
                    final Thread pulse = new Thread(() ->
                    {
                        while (exclusive && !parked.get())
                        {
                            paused.set(true);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                            paused.set(false);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                        }
                    }, "device-pulse");
                    pulse.start();
                    final String line;
                    try
                    {
                        line = victim.expect(STALLED, LINE_TIMEOUT_S).group(1);
                    }
                    finally
                    {
                        parked.set(true);
                        pulse.join();
                        paused.set(false);
                    }
                    assertTrue(line.startsWith("STALLED"), "round " + round + " (" + window + "): victim " + line);
                    stalledKills++;
                }
                final long victimPid = victim.process().pid();
                device.killed.add((long)id);
                assertEquals(137, victim.kill(LINE_TIMEOUT_S), "SIGKILL (128 + 9)");
                children.remove(victim);
                paused.set(false);
                if (window == null && !recordAtDeath(victimPid).startsWith("IDLE"))
                {
                    randomInWindow++; // read right after the kill: a survivor may already have repaired it
                }

                if (awaitLeaseFree(victimPid, SURVIVOR_REPAIR_MS))
                {
                    repairedBySurvivors++;
                }
                else
                {
                    supervisor.repairDeadProducers();
                    if (!awaitLeaseFree(victimPid, 5_000))
                    {
                        fail("round " + round + " (" + window + "): the dead producer's lease was not freed by a repair\n" +
                            describeState());
                    }
                }
                final String where = "round " + round + " (" + (window == null ? "random" : window) + ")";
                assertNull(device.failure.get(), where);
                awaitSurvivorsProgress(survivors, where);
            }

            Files.createFile(stopFile);
            final long[] expected = new long[SURVIVORS + 1];
            for (int i = 0; i < SURVIVORS; i++)
            {
                final Matcher done = survivors.get(i).expect(DONE, LINE_TIMEOUT_S);
                expected[Integer.parseInt(done.group(1))] = Long.parseLong(done.group(2));
                assertTrue(survivors.get(i).process().waitFor(LINE_TIMEOUT_S, TimeUnit.SECONDS));
                assertEquals(0, survivors.get(i).process().exitValue(), "survivor " + (i + 1) + " completed every call with OK");
            }
            awaitDrained();
            assertNull(device.failure.get());
            for (int id = 1; id <= SURVIVORS; id++)
            {
                assertEquals(expected[id], device.next[id], "survivor " + id + ": every command of every OK call, once, in order");
            }
            final SharedCmdqState state = SharedCmdqState.join(memory.cmdqState(), LOG2_SIZE);
            final int prod = memory.registers().getProdAcquire();
            assertEquals(0, state.lock().value(), "the cmdq lock is free");
            assertEquals(prod, state.lvOwnerProd(), "owner_prod = PROD");
            assertEquals(prod, ProdCons.prod(state.lvProdCons()), "llq.prod = PROD, OWNED clear");
            System.out.println("MultiProducerKillTest: " + rounds + " kills (" + stalledKills + " parked in a window, " +
                randomInWindow + " random ones seen inside one), " +
                repairedBySurvivors + " repaired by a stalled survivor, " + device.noOps + " no-op completions, " +
                device.next[1] + " + " + device.next[2] + " survivor commands");
        }
        finally
        {
            supervisor.close();
        }
    }

    /** Both survivors get further commands executed after the kill and its repair. */
    private void awaitSurvivorsProgress(final List<ChildJvm> survivors, final String where) throws Exception
    {
        final long[] before = {device.next[1], device.next[2]};
        final long deadline = System.currentTimeMillis() + 2 * WAIT_TIMEOUT_MS;
        while (device.next[1] == before[0] || device.next[2] == before[1])
        {
            for (int i = 0; i < SURVIVORS; i++)
            {
                if (!survivors.get(i).process().isAlive())
                {
                    final String state = describeState();
                    fail(where + ": survivor " + (i + 1) + " ended: " +
                        survivors.get(i).expect(Pattern.compile("(FAILED .+)"), 1).group(1) + "\n" + state);
                }
            }
            assertNull(device.failure.get(), where);
            if (System.currentTimeMillis() > deadline)
            {
                fail(where + ": the survivors made no progress after the kill (" + before[0] + " -> " + device.next[1] +
                    ", " + before[1] + " -> " + device.next[2] + ")");
            }
            Thread.sleep(5);
        }
    }

    /** The claim record of the (dead) process {@code pid}'s lease, described; IDLE if it has none any more. */
    private String recordAtDeath(final long pid)
    {
        final ClaimRecords records = new ClaimRecords(memory.claimRecords());
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            if (ProducerLeases.pid(memory.leases().holder(lease)) == pid)
            {
                return ClaimRecords.describe(records.lv(lease));
            }
        }
        return "IDLE (already repaired)";
    }

    /** The shared state, the leases and their records, for a failure message. */
    private String describeState()
    {
        final SharedCmdqState state = SharedCmdqState.join(memory.cmdqState(), LOG2_SIZE);
        final StringBuilder text = new StringBuilder("llq ").append(ProdCons.toString(state.lvProdCons()))
            .append(" owner_prod=0x").append(Integer.toHexString(state.lvOwnerProd()))
            .append(" lock=").append(state.lock().value())
            .append(" PROD=0x").append(Integer.toHexString(memory.registers().getProdAcquire()))
            .append(" CONS=0x").append(Integer.toHexString(memory.registers().getConsAcquire()))
            .append(" recovery=").append(memory.header().getIntVolatile(RingFileLayout.RECOVERY_LOCK_OFFSET));
        final ClaimRecords records = new ClaimRecords(memory.claimRecords());
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            final long holder = memory.leases().holder(lease);
            if (holder != 0 || records.lv(lease) != 0)
            {
                text.append("\n  lease ").append(lease).append(' ').append(ProducerLeases.describe(holder))
                    .append(ProducerLeases.isAlive(holder) ? "" : " DEAD").append(": ")
                    .append(ClaimRecords.describe(records.lv(lease)));
            }
        }
        return text.toString();
    }

    private boolean awaitLeaseFree(final long pid, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (true)
        {
            boolean held = false;
            for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
            {
                held |= ProducerLeases.pid(memory.leases().holder(lease)) == pid;
            }
            if (!held)
            {
                return true;
            }
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Thread.sleep(5);
        }
    }

    private void startConsumer()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, memory.registers(), device::onEntry, device.completion);
        consumerThread = new Thread(() ->
        {
            final IdleStrategy idle = new BackoffIdleStrategy(
                16, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
            try (consumer)
            {
                while (!stop.get())
                {
                    final int done = paused.get() ? 0 : consumer.drain(64);
                    if (done == 0)
                    {
                        device.endCutCall();
                    }
                    idle.idle(done);
                }
            }
        }, "mapped-mp-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    private void awaitDrained() throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        final int mask = QueueIndex.wrapIndexMask(LOG2_SIZE);
        while ((memory.registers().getConsAcquire() & mask) != memory.registers().getProdAcquire())
        {
            assertNull(device.failure.get());
            if (System.currentTimeMillis() > deadline)
            {
                fail("device did not reach PROD=0x" + Integer.toHexString(memory.registers().getProdAcquire()));
            }
            Thread.sleep(1);
        }
    }

    private ChildJvm start(final int id, final String stall) throws IOException
    {
        final ChildJvm child = ChildJvm.start(LinuxProducerProcess.class, dir.resolve("producer-" + id + ".err"),
            file.toString(), Integer.toString(id), Long.toString(SEED + id), stopFile.toString(), stall,
            Long.toString(CHILD_DEADLINE_MS), Long.toString(WAIT_TIMEOUT_MS));
        children.add(child);
        return child;
    }
}
