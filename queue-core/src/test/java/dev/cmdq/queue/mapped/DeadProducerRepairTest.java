package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.lockfree.ProdCons;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One producer of a shared ring file "dies" at each named step of Linux's algorithm (its call is
 * abandoned there, see {@link SteppedJournal}: the shared state is left exactly as a kill at that
 * instant leaves it), under a lease that names a dead process; a surviving producer on the same file
 * then issues, stalls behind what the dead one left, repairs it, and completes every call. The device
 * (a {@link QueueConsumer} thread) checks every entry it executes.
 *
 * <p>Expected outcomes are typed per step from the algorithm (smmuv3-cmdq.md §4.2), not derived from the
 * code: a claim whose CAS never happened leaves nothing, a claim made but not flipped valid becomes
 * no-op completions, a flipped claim is executed as written; and in every case the survivor's calls all
 * return OK, the lock returns to 0, PROD = owner_prod = llq.prod with OWNED clear, and the dead lease is
 * free with its record cleared.
 */
class DeadProducerRepairTest
{
    private static final int LOG2_SIZE = 7;
    private static final long DEVICE = 0x4000_0000L;
    private static final int LIVE = 1;
    private static final int DEAD = 9;
    private static final int DEAD_COUNT = 5;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long SCAN_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /** How the dead producer stands to the others when it dies. */
    enum Scene
    {
        /** Alone on an idle queue: it is the owner of its round. */
        ALONE,
        /** Behind a live owner that is paused after its reservation: it is not the owner. */
        BEHIND_OWNER,
        /** On a full queue with the device stopped: it takes the lock exclusively to refresh CONS. */
        FULL
    }

    /** What the device must see in the dead producer's slots. */
    enum Outcome
    {
        /** No slots: it never reserved. */
        ABSENT,
        /** Its slots, as no-op completions. */
        NO_OPS,
        /** Its commands, as written. */
        SEEN
    }

    /** Where the producer dies: the journal step, whether its record was stored, the scene, sync, outcome. */
    enum Death
    {
        RESERVING_BEFORE_CAS("reserving", true, Scene.ALONE, false, Outcome.ABSENT),
        CAS_DONE_UNRECORDED("claimed", false, Scene.ALONE, false, Outcome.NO_OPS),
        CLAIMED("claimed", true, Scene.ALONE, false, Outcome.NO_OPS),
        FLIPPED_UNRECORDED("published", false, Scene.ALONE, false, Outcome.SEEN),
        PUBLISHED("published", true, Scene.ALONE, false, Outcome.SEEN),
        GATHERING("gathering", true, Scene.ALONE, false, Outcome.SEEN),
        OWNED_CLEARED_UNRECORDED("gathered", false, Scene.ALONE, false, Outcome.SEEN),
        GATHERED("gathered", true, Scene.ALONE, false, Outcome.SEEN),
        HANDED_OVER_UNRECORDED("handedOver", false, Scene.ALONE, false, Outcome.SEEN),
        HANDED_OVER("handedOver", true, Scene.ALONE, false, Outcome.SEEN),
        SHARED_LOCKING("sharedLocking", true, Scene.ALONE, true, Outcome.NO_OPS),
        SHARED_ADDED_UNRECORDED("sharedLocked", false, Scene.ALONE, true, Outcome.NO_OPS),
        SHARED_HELD("sharedLocked", true, Scene.ALONE, true, Outcome.NO_OPS),
        SYNC_PUBLISHED("published", true, Scene.ALONE, true, Outcome.SEEN),
        SYNC_HANDED_OVER("handedOver", true, Scene.ALONE, true, Outcome.SEEN),
        SHARED_UNLOCKING("sharedUnlocking", true, Scene.ALONE, true, Outcome.SEEN),
        SHARED_DROPPED_UNRECORDED("sharedUnlocked", false, Scene.ALONE, true, Outcome.SEEN),
        BEHIND_RESERVING_BEFORE_CAS("reserving", true, Scene.BEHIND_OWNER, false, Outcome.ABSENT),
        BEHIND_CAS_DONE_UNRECORDED("claimed", false, Scene.BEHIND_OWNER, false, Outcome.NO_OPS),
        BEHIND_CLAIMED("claimed", true, Scene.BEHIND_OWNER, false, Outcome.NO_OPS),
        BEHIND_SHARED_HELD("sharedLocked", true, Scene.BEHIND_OWNER, true, Outcome.NO_OPS),
        BEHIND_PUBLISHED("published", true, Scene.BEHIND_OWNER, false, Outcome.SEEN),
        EXCLUSIVE_TRYING("exclusiveTrying", true, Scene.FULL, false, Outcome.ABSENT),
        EXCLUSIVE_TAKEN_UNRECORDED("exclusiveLocked", false, Scene.FULL, false, Outcome.ABSENT),
        EXCLUSIVE_HELD("exclusiveLocked", true, Scene.FULL, false, Outcome.ABSENT),
        EXCLUSIVE_UNLOCKING("exclusiveUnlocking", true, Scene.FULL, false, Outcome.ABSENT),
        EXCLUSIVE_DROPPED_UNRECORDED("exclusiveUnlocked", false, Scene.FULL, false, Outcome.ABSENT);

        final String step;
        final boolean afterRecord;
        final Scene scene;
        final boolean sync;
        final Outcome outcome;

        Death(final String step, final boolean afterRecord, final Scene scene, final boolean sync, final Outcome outcome)
        {
            this.step = step;
            this.afterRecord = afterRecord;
            this.scene = scene;
            this.sync = sync;
            this.outcome = outcome;
        }
    }

    private Path dir;
    private MappedRingMemory memory;
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** Executed entries, in order: producer id << 48 | sequence, or -1 for a no-op completion. */
    private final List<Long> executed = new ArrayList<>();
    private final AtomicInteger syncsExecuted = new AtomicInteger();
    private Thread consumerThread;
    private final List<MappedLinuxIssuer> toClose = new ArrayList<>();
    private final List<LinuxCmdqIssuer> deadToClose = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-repair-test-");
        memory = MappedRingMemory.create(dir.resolve("q.ring"), LOG2_SIZE, DEVICE);
        final QueueConsumer consumer = new QueueConsumer(memory, memory.registers(), this::onEntry, completion);
        consumerThread = new Thread(() ->
        {
            final IdleStrategy idle = new BackoffIdleStrategy(16, 16, 1_000, 100_000);
            try (consumer)
            {
                while (!stop.get())
                {
                    idle.idle(paused.get() ? 0 : consumer.drain(64));
                }
            }
        }, "repair-test-device");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        stop.set(true);
        consumerThread.join(10_000);
        for (final MappedLinuxIssuer issuer : toClose)
        {
            issuer.close();
        }
        for (final LinuxCmdqIssuer issuer : deadToClose)
        {
            issuer.close(); // its leases were reclaimed by the survivor: only the ring is released
        }
        memory.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (StressEntry.isIntact(buffer, offset))
        {
            synchronized (executed)
            {
                executed.add(((long)StressEntry.flags(buffer, offset) << 48) | StressEntry.sequence(buffer, offset));
            }
            return CommandError.NONE;
        }
        if (completion.isCompletion(buffer, offset))
        {
            if (completion.writeBackAddress(buffer, offset) == CompletionEntry.NO_WRITE_BACK)
            {
                synchronized (executed)
                {
                    executed.add(-1L);
                }
            }
            else
            {
                syncsExecuted.incrementAndGet();
            }
            return CommandError.NONE;
        }
        failure.compareAndSet(null, "garbage at CONS=0x" + Integer.toHexString(cons) + ": 0x" +
            Long.toHexString(buffer.getLong(offset)) + " 0x" + Long.toHexString(buffer.getLong(offset + 8)));
        return CommandError.ILL;
    }

    private MappedLinuxIssuer survivor(final SteppedJournal.Hook hook)
    {
        final MappedLinuxIssuer issuer = new MappedLinuxIssuer(memory, completion, CompletionWait.WRITE_BACK,
            WaitPolicy.withTimeout(TIMEOUT_NS), ProducerLeases.holderWord(ProcessHandle.current()), SCAN_NS,
            hook == null ? j -> j : j -> new SteppedJournal(j, hook.step, true, hook.action));
        toClose.add(issuer);
        return issuer;
    }

    /** A lease word that names this process with a start time it does not have: a dead holder. */
    private static long deadWord()
    {
        final long mine = ProducerLeases.holderWord(ProcessHandle.current());
        return ProducerLeases.word(ProducerLeases.pid(mine), ProducerLeases.startTicks(mine) - 1);
    }

    private void fill(final int producer, final long firstSequence, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            StressEntry.write(commands, i * 16, firstSequence + i, producer);
        }
    }

    @ParameterizedTest
    @EnumSource(Death.class)
    void aSurvivorRepairsWhatTheDeadProducerLeftAndCompletesEveryCall(final Death death) throws Exception
    {
        final long deadWord = deadWord();
        final MappedLinuxIssuer dead = new MappedLinuxIssuer(memory, completion, CompletionWait.WRITE_BACK,
            WaitPolicy.withTimeout(TIMEOUT_NS), deadWord, SCAN_NS, j -> SteppedJournal.dying(j, death.step, death.afterRecord));
        deadToClose.add(dead.issuer());
        long liveSequence = 0;

        final MappedLinuxIssuer live;
        switch (death.scene)
        {
            case ALONE:
            {
                live = survivor(null);
                fill(DEAD, 0, DEAD_COUNT);
                assertThrows(SteppedJournal.Death.class, () -> dead.issue(commands, 0, DEAD_COUNT, death.sync));
                break;
            }
            case BEHIND_OWNER:
            {
                final CountDownLatch reserved = new CountDownLatch(1);
                final CountDownLatch resume = new CountDownLatch(1);
                live = survivor(new SteppedJournal.Hook("claimed", () ->
                {
                    reserved.countDown();
                    await(resume);
                }));
                final AtomicInteger ownerStatus = new AtomicInteger(Integer.MIN_VALUE);
                final UnsafeBuffer ownerCommands = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 16));
                for (int i = 0; i < 4; i++)
                {
                    StressEntry.write(ownerCommands, i * 16, i, LIVE);
                }
                liveSequence = 4;
                final Thread owner = new Thread(() -> ownerStatus.set(live.issue(ownerCommands, 0, 4, true)), "paused-owner");
                owner.start();
                assertTrue(reserved.await(10, TimeUnit.SECONDS), "the owner reserved and paused");
                fill(DEAD, 0, DEAD_COUNT);
                assertThrows(SteppedJournal.Death.class, () -> dead.issue(commands, 0, DEAD_COUNT, death.sync));
                resume.countDown();
                owner.join(20_000);
                assertEquals(IssueStatus.OK, ownerStatus.get(), "the owner's sync call behind the dead claim completed");
                break;
            }
            case FULL:
            {
                live = survivor(null);
                paused.set(true);
                for (int i = 0; i < 8; i++)
                {
                    fill(LIVE, liveSequence, 16);
                    assertEquals(IssueStatus.OK, live.issue(commands, 0, 16, false));
                    liveSequence += 16;
                }
                fill(DEAD, 0, 1);
                assertThrows(SteppedJournal.Death.class, () -> dead.issue(commands, 0, 1, false));
                paused.set(false);
                break;
            }
            default:
                throw new AssertionError(death.scene);
        }

        // The survivor goes on: 40 calls of 1..9 commands, every third one synced, the last one synced.
        for (int call = 0; call < 40; call++)
        {
            final int n = 1 + call % 9;
            fill(LIVE, liveSequence, n);
            final boolean sync = call % 3 == 2 || call == 39;
            assertEquals(IssueStatus.OK, live.issue(commands, 0, n, sync),
                "call " + call + " of the survivor after a death at " + death);
            liveSequence += n;
        }
        assertFalse(live.isBroken());

        // Clean up whatever no wait of the survivor needed (e.g. a reservation that never happened).
        live.repairDeadProducers();
        awaitDrained();
        assertNull(failure.get());

        final List<Long> seen;
        synchronized (executed)
        {
            seen = new ArrayList<>(executed);
        }
        long nextLive = 0;
        long nextDead = 0;
        int noOps = 0;
        for (final long e : seen)
        {
            if (e == -1L)
            {
                noOps++;
            }
            else if ((e >>> 48) == LIVE)
            {
                assertEquals(nextLive, e & 0xFFFF_FFFF_FFFFL, "survivor's commands exactly once, in order");
                nextLive++;
            }
            else
            {
                assertEquals(DEAD, e >>> 48);
                assertEquals(nextDead, e & 0xFFFF_FFFF_FFFFL, "dead producer's commands exactly once, in order");
                nextDead++;
            }
        }
        assertEquals(liveSequence, nextLive, "every command of every survivor call");
        final int deadSlots = death.scene == Scene.FULL ? 1 : DEAD_COUNT + (death.sync ? 1 : 0);
        switch (death.outcome)
        {
            case ABSENT:
                assertEquals(0, nextDead, "nothing of a call that never reserved");
                assertEquals(0, noOps);
                break;
            case NO_OPS:
                assertEquals(0, nextDead, "no command of a claim it never flipped valid");
                assertEquals(deadSlots, noOps, "each of its slots became a no-op completion");
                break;
            case SEEN:
                assertEquals(DEAD_COUNT, nextDead, "its flipped commands executed as written");
                assertEquals(0, noOps);
                break;
            default:
                throw new AssertionError(death.outcome);
        }

        final LinuxCmdqIssuer issuer = live.issuer();
        final int prod = memory.registers().getProdAcquire();
        assertEquals(0, issuer.lockValue(), "the cmdq lock is free again");
        assertEquals(prod, issuer.ownerProd(), "owner_prod = PROD");
        assertEquals(prod, ProdCons.prod(issuer.prodCons()), "llq.prod = PROD, OWNED clear");
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            assertTrue(memory.leases().holder(lease) != deadWord, "lease " + lease + " of the dead producer is free");
        }
        assertEquals(1, live.repairs(), "the dead producer was repaired once");
        for (int lease = 0; lease < ProducerLeases.CAPACITY; lease++)
        {
            if (memory.leases().holder(lease) == 0)
            {
                assertEquals(0, memory.claimRecords().getLongVolatile(lease * RingFileLayout.CLAIM_RECORD_BYTES),
                    "record of free lease " + lease + " is clear");
            }
        }
    }

    /**
     * The window left unrecovered: two dead producers both reserving from the same word, one of whose CAS
     * succeeded (killed between its CAS and its record) while the other lost and died before its next
     * record. Nothing the file holds says which claim is which, so neither is filled, and the survivor's
     * wait runs out with a typed status instead of hanging or executing a guess.
     */
    @org.junit.jupiter.api.Test
    void twoDeadReservationsOverTheSameSlotsTimeOutTyped()
    {
        final long deadWord = deadWord();
        final MappedLinuxIssuer dead = new MappedLinuxIssuer(memory, completion, CompletionWait.WRITE_BACK,
            WaitPolicy.withTimeout(TIMEOUT_NS), deadWord, SCAN_NS, j -> SteppedJournal.dying(j, "claimed", false));
        deadToClose.add(dead.issuer());
        fill(DEAD, 0, DEAD_COUNT);
        assertThrows(SteppedJournal.Death.class, () -> dead.issue(commands, 0, DEAD_COUNT, false));
        // The loser: it recorded the same expected word (prod 0, OWNED clear) for 3 slots, its CAS failed, it died.
        final int loser = memory.leases().acquire(deadWord);
        final ClaimRecords records = new ClaimRecords(memory.claimRecords());
        records.so(loser, ClaimRecords.withClaim(0L, ClaimRecords.RESERVING, 0, 3, true));

        final MappedLinuxIssuer live = new MappedLinuxIssuer(memory, completion, CompletionWait.WRITE_BACK,
            WaitPolicy.withTimeout(TimeUnit.MILLISECONDS.toNanos(300)), ProducerLeases.holderWord(ProcessHandle.current()),
            SCAN_NS, j -> j);
        toClose.add(live);
        fill(LIVE, 0, 4);
        assertEquals(IssueStatus.TIMEOUT, live.issue(commands, 0, 4, true),
            "the sync behind the undecidable claim times out, typed");
        assertEquals(0, live.repairs(), "neither dead producer was repaired");
        assertEquals(0, memory.registers().getProdAcquire(), "PROD never passed the undecided slots");
        for (int slot = 0; slot < DEAD_COUNT; slot++)
        {
            assertFalse(completion.isCompletion(memory.buffer(), slot << 4), "slot " + slot + " was not filled by a guess");
        }
        assertEquals(ClaimRecords.RESERVING, ClaimRecords.phase(records.lv(loser)), "the loser's record is left as it was");
        synchronized (executed)
        {
            assertTrue(executed.isEmpty(), "the device executed nothing");
        }
    }

    /**
     * A repairer that died holding the recovery lock (here: the lock names a lease whose holder is dead)
     * is replaced: the survivor takes the lock over, repairs the dead producer and the dead repairer.
     */
    @org.junit.jupiter.api.Test
    void aDeadRepairersRecoveryLockIsTakenOver() throws Exception
    {
        final long deadWord = deadWord();
        final int deadRepairer = memory.leases().acquire(deadWord);
        memory.header().putIntRelease(RingFileLayout.RECOVERY_LOCK_OFFSET, deadRepairer + 1);
        final MappedLinuxIssuer dead = new MappedLinuxIssuer(memory, completion, CompletionWait.WRITE_BACK,
            WaitPolicy.withTimeout(TIMEOUT_NS), deadWord, SCAN_NS, j -> SteppedJournal.dying(j, "claimed", true));
        deadToClose.add(dead.issuer());
        fill(DEAD, 0, DEAD_COUNT);
        assertThrows(SteppedJournal.Death.class, () -> dead.issue(commands, 0, DEAD_COUNT, false));

        final MappedLinuxIssuer live = survivor(null);
        fill(LIVE, 0, 3);
        assertEquals(IssueStatus.OK, live.issue(commands, 0, 3, true), "the sync behind the dead owner's claim completes");
        awaitDrained();
        assertNull(failure.get());
        assertEquals(2, live.repairs(), "the dead producer and the dead repairer");
        assertEquals(0, memory.header().getIntVolatile(RingFileLayout.RECOVERY_LOCK_OFFSET), "the recovery lock is free");
        assertEquals(0, memory.leases().holder(deadRepairer));
        synchronized (executed)
        {
            assertEquals(List.of(-1L, -1L, -1L, -1L, -1L, ((long)LIVE << 48), ((long)LIVE << 48) | 1, ((long)LIVE << 48) | 2),
                executed, "five no-ops for the dead claim, then the survivor's commands (its sync is counted apart)");
        }
        assertEquals(1, syncsExecuted.get());
    }

    private void awaitDrained() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        final int mask = QueueIndex.wrapIndexMask(LOG2_SIZE);
        while ((memory.registers().getConsAcquire() & mask) != memory.registers().getProdAcquire())
        {
            assertTrue(System.nanoTime() < deadline, "device did not reach PROD");
            Thread.sleep(1);
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(20, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
