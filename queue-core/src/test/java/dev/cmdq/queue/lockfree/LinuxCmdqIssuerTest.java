package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.AccessLog;
import dev.cmdq.queue.testkit.RecordingQueueRegisters;
import dev.cmdq.queue.testkit.RecordingRingMemory;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linux's issuer on one thread, with the device driven inline by the wait loops (a scripted idle
 * strategy), so every step is deterministic: geometry checks, what one call writes and publishes, both
 * completion waits, the bounded waits and their typed results, and — with recording ring, registers and
 * state — the order of the algorithm's steps (x86 would forgive a wrong one), each order check shown to
 * fail on the matching broken variant.
 */
class LinuxCmdqIssuerTest
{
    private static final int LOG2_SIZE = 7;
    private static final long TIMEOUT_NS = 1_000_000;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));

    /** A queue, its device (run by the idle strategy) and an issuer. */
    private final class Fixture
    {
        final AccessLog log = new AccessLog();
        final RingMemory memory;
        final QueueRegisters registers;
        final TestCompletionEntry completion = new TestCompletionEntry();
        final List<Long> executed = new ArrayList<>();
        final QueueConsumer consumer;
        final ScriptedIdleStrategy idle = new ScriptedIdleStrategy();
        final AtomicBuffer stateBuffer;
        final LinuxCmdqIssuer issuer;

        Fixture(final CompletionWait completionWait, final boolean recording, final Fault fault, final int initial)
        {
            memory = recording ? new RecordingRingMemory(LOG2_SIZE, log) : DirectRingMemory.allocate(LOG2_SIZE);
            registers = recording ? new RecordingQueueRegisters(log) : MappedQueueRegisters.allocate();
            registers.putProdRelease(initial);
            registers.putConsRelease(initial);
            consumer = new QueueConsumer(memory, registers, this::onEntry, completion);
            stateBuffer = recording ? new RecordingStateBuffer(LOG2_SIZE, log) :
                new UnsafeBuffer(ByteBuffer.allocateDirect(CmdqState.length(LOG2_SIZE)));
            final WaitPolicy wait = new WaitPolicy(TIMEOUT_NS, () -> idle, new SteppingNanoClock(1_000));
            issuer = new LinuxCmdqIssuer(memory, registers, completion, completionWait, wait, stateBuffer, fault);
            closeables.add(issuer);
            closeables.add(consumer);
            closeables.add(memory);
            log.clear();
        }

        private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            executed.add(buffer.getLong(offset));
            return CommandError.NONE;
        }
    }

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
    }

    private void fillCommands(final int count, final long base)
    {
        for (int i = 0; i < count; i++)
        {
            commands.putLong(i * 16, base + i);
            commands.putLong(i * 16 + 8, ~(base + i));
        }
    }

    @Test
    void refusesRingsOf64EntriesOrFewerNamingLog2Size()
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(6); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinuxCmdqIssuer(memory, registers, new TestCompletionEntry(), CompletionWait.WRITE_BACK));
            assertTrue(e.getMessage().contains("log2Size=6"), e.getMessage());
        }
    }

    @Test
    void refusesAWriteBackFormatWhoseFirstWordAlreadyHoldsTheValue()
    {
        final CompletionEntry zeroFirstWord = new CompletionEntry()
        {
            @Override
            public void write(final MutableDirectBuffer buffer, final int offset, final long writeBackAddress)
            {
                buffer.putLong(offset, 0);
                buffer.putLong(offset + 8, writeBackAddress);
            }

            @Override
            public boolean isCompletion(final DirectBuffer buffer, final int offset)
            {
                return true;
            }

            @Override
            public long writeBackAddress(final DirectBuffer buffer, final int offset)
            {
                return buffer.getLong(offset + 8);
            }

            @Override
            public int writeBackValue(final DirectBuffer buffer, final int offset)
            {
                return 0;
            }
        };
        try (DirectRingMemory memory = DirectRingMemory.allocate(7); MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            assertThrows(IllegalArgumentException.class,
                () -> new LinuxCmdqIssuer(memory, registers, zeroFirstWord, CompletionWait.WRITE_BACK));
            new LinuxCmdqIssuer(memory, registers, zeroFirstWord, CompletionWait.CONS_POLL).close();
        }
    }

    @Test
    void oneCallWritesItsCommandsContiguouslyAndPublishesProdOnce()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, true, Fault.NONE, 0);
        fillCommands(5, 100);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 5, false));

        for (int i = 0; i < 5; i++)
        {
            assertEquals(100 + i, f.memory.buffer().getLong(i * 16));
            assertEquals(~(100L + i), f.memory.buffer().getLong(i * 16 + 8));
        }
        assertEquals(List.of(5L), prodWrites(f.log));
        assertEquals(ProdCons.pack(5, 0), f.issuer.prodCons(), "OWNED cleared, cons untouched");
        assertEquals(5, f.issuer.ownerProd());
        assertEquals(0, f.issuer.lockValue());
    }

    @Test
    void countZeroWithoutSyncDoesNothing()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, true, Fault.NONE, 0);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 0, false));
        assertTrue(f.log.events().isEmpty(), f.log.toString());
    }

    @Test
    void argumentsAreCheckedBeforeAnythingIsReserved()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, false, Fault.NONE, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f.issuer.issue(commands, 0, 65, false))
            .getMessage().contains("count=65"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f.issuer.issue(commands, 0, -1, true))
            .getMessage().contains("count=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f.issuer.issue(commands, 16, 64, false))
            .getMessage().contains("offset=16"));
        assertEquals(ProdCons.pack(0, 0), f.issuer.prodCons());
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void syncReturnsAfterTheDeviceConsumedItAndTheLastWaiterPublishesCons(final CompletionWait completionWait)
    {
        final Fixture f = new Fixture(completionWait, false, Fault.NONE, 0);
        f.idle.device(f.consumer);
        fillCommands(3, 7);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 3, true));

        assertEquals(4, f.executed.size(), "three commands and the sync");
        assertEquals(List.of(7L, 8L, 9L), f.executed.subList(0, 3));
        assertEquals(4, ProdCons.cons(f.issuer.prodCons()), "software CONS moved past the sync");
        assertEquals(0, f.issuer.lockValue());
        if (completionWait == CompletionWait.WRITE_BACK)
        {
            assertEquals(0, f.memory.buffer().getInt(3 * 16), "the device wrote the completion word into the sync's own slot");
        }
        else
        {
            assertEquals(CompletionEntry.NO_WRITE_BACK, f.completion.writeBackAddress(f.memory.buffer(), 3 * 16));
        }
    }

    @Test
    void startsFromTheRegistersAcrossTheEndOfTheRingOnAWrapOneLap()
    {
        final int initial = 0x80 | 0x7C; // WRAP = 1, index 124 of 128
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, false, Fault.NONE, initial);
        f.idle.device(f.consumer);
        assertEquals(ProdCons.pack(initial, initial), f.issuer.prodCons());
        assertEquals(initial, f.issuer.ownerProd());
        for (int round = 0; round < 10; round++)
        {
            fillCommands(10, round * 10);
            assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 10, true));
        }
        assertEquals(110, f.executed.size());
        assertEquals(QueueIndex.advance(initial, 110, LOG2_SIZE), f.registers.getProdAcquire());
    }

    @Test
    void waitingForSpaceTimesOutHavingReservedNothingAndTheQueueStaysUsable()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, false, Fault.NONE, 0);
        fillCommands(64, 0);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 64, false));
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 64, false));
        final long full = f.issuer.prodCons();
        assertEquals(IssueStatus.TIMEOUT, f.issuer.issue(commands, 0, 1, false));
        assertEquals(full, f.issuer.prodCons(), "nothing reserved");
        assertEquals(0, f.issuer.lockValue());

        f.idle.device(f.consumer);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 1, true));
        assertEquals(130, f.executed.size());
    }

    @ParameterizedTest
    @EnumSource(CompletionWait.class)
    void aSyncNobodyConsumesTimesOutAndReleasesTheLock(final CompletionWait completionWait)
    {
        final Fixture f = new Fixture(completionWait, false, Fault.NONE, 0);
        assertEquals(IssueStatus.TIMEOUT, f.issuer.issue(commands, 0, 2, true));
        assertEquals(0, f.issuer.lockValue());
        assertEquals(0, ProdCons.cons(f.issuer.prodCons()), "no CONS was observed, none published");
        assertEquals(3, f.registers.getProdAcquire(), "the commands and the sync were published");
    }

    @Test
    void closedIssuerAnswersClosed()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, false, Fault.NONE, 0);
        f.issuer.close();
        f.issuer.close();
        assertEquals(IssueStatus.CLOSED, f.issuer.issue(commands, 0, 1, false));
    }

    @Test
    void anOwnerWhosePredecessorNeverHandsOverDeclaresTheIssuerBroken()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, false, Fault.NONE, 0);
        // As if a previous owner had gathered [0, 5) and stopped before writing PROD and owner_prod.
        f.stateBuffer.putLongVolatile(CmdqState.PROD_CONS_OFFSET, ProdCons.pack(5, 0));
        assertEquals(IssueStatus.BROKEN, f.issuer.issue(commands, 0, 1, false));
        assertTrue(f.issuer.isBroken());
        assertEquals(IssueStatus.BROKEN, f.issuer.issue(commands, 0, 1, false));
        assertEquals(0, f.registers.getProdAcquire());
    }

    @Test
    void anOwnerWhoseGatheredSlotsNeverBecomeValidDeclaresTheIssuerBroken()
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, false, Fault.NONE, 0);
        f.stateBuffer.putIntVolatile(CmdqState.OWNER_PROD_OFFSET, 0x55);
        // While the owner waits for owner_prod, another caller reserves 3 slots and never writes them.
        f.idle.then(() -> reserve(f.stateBuffer, 3)).then(() -> f.stateBuffer.putIntRelease(CmdqState.OWNER_PROD_OFFSET, 0));
        fillCommands(2, 0);
        assertEquals(IssueStatus.BROKEN, f.issuer.issue(commands, 0, 2, false));
        assertEquals(0, f.registers.getProdAcquire(), "nothing published");
    }

    @Test
    void orderOfOneSyncCallIsEntriesLockValidClearOwnedProdOwnerProd()
    {
        assertNull(violatedOrderOfOneSyncCall(Fault.NONE));
    }

    @Test
    void orderCheckCatchesOwnerProdHandedOverBeforeProd()
    {
        final String violation = violatedOrderOfOneSyncCall(Fault.OWNER_PROD_BEFORE_PROD);
        assertNotNull(violation);
        assertTrue(violation.contains("owner_prod"), violation);
    }

    @Test
    void orderCheckCatchesSharedLockTakenAfterPublishing()
    {
        final String violation = violatedOrderOfOneSyncCall(Fault.SHARED_LOCK_AFTER_PUBLISH);
        assertNotNull(violation);
        assertTrue(violation.contains("lock"), violation);
    }

    @Test
    void prodIsWrittenOnlyAfterEveryGatheredSlotIsValid()
    {
        assertNull(violatedOrderOfAGatheredRound(Fault.NONE));
    }

    @Test
    void orderCheckCatchesProdPublishedBeforeTheGatheredSlotsAreValid()
    {
        final String violation = violatedOrderOfAGatheredRound(Fault.PROD_BEFORE_VALID);
        assertNotNull(violation);
        assertTrue(violation.contains("valid"), violation);
    }

    /**
     * One call of 2 commands + sync on a recording queue; checks entries &lt; shared lock &lt; valid flip
     * &lt; OWNED cleared &lt; PROD &lt; owner_prod.
     *
     * @return the first order violated, or null.
     */
    private String violatedOrderOfOneSyncCall(final Fault fault)
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, true, fault, 0);
        f.idle.device(f.consumer);
        fillCommands(2, 40);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 2, true));

        final AccessLog log = f.log;
        final int lastEntryWrite = log.indexOfLast(AccessLog.ringWriteWithin(0, 3 * 16).and(e -> e.kind() == AccessLog.Kind.PLAIN_WRITE));
        final int lockTaken = log.indexOfFirst(stateWrite(CmdqState.LOCK_OFFSET, 1));
        final int validFlip = log.indexOfFirst(stateWrite(CmdqState.VALID_MAP_OFFSET, 0b111));
        final int ownedCleared = log.indexOfFirst(stateWrite(CmdqState.PROD_CONS_OFFSET, ProdCons.CLEAR_OWNED));
        final int prodWrite = log.indexOfFirst(AccessLog.releaseWriteOf("PROD").and(e -> e.value() == 3));
        final int ownerProd = log.indexOfFirst(stateWrite(CmdqState.OWNER_PROD_OFFSET, 3));
        assertTrue(lastEntryWrite >= 0 && lockTaken >= 0 && validFlip >= 0 && ownedCleared >= 0 && prodWrite >= 0 && ownerProd >= 0,
            log.toString());
        if (lastEntryWrite > lockTaken)
        {
            return "entries written after the shared lock";
        }
        if (lockTaken > validFlip)
        {
            return "shared lock taken after the valid bits were published";
        }
        if (validFlip > ownedCleared)
        {
            return "OWNED cleared before our valid bits";
        }
        if (ownedCleared > prodWrite)
        {
            return "PROD written before gathering stopped";
        }
        if (prodWrite > ownerProd)
        {
            return "owner_prod handed over before PROD was written";
        }
        return null;
    }

    /**
     * The owner reserves [0, 2); while it waits for owner_prod another caller reserves [2, 5); while it
     * waits for validity that caller flips its bits. PROD (= 5, the gathered end) must come after that
     * flip, and owner_prod after PROD.
     *
     * @return the first order violated, or null.
     */
    private String violatedOrderOfAGatheredRound(final Fault fault)
    {
        final Fixture f = new Fixture(CompletionWait.WRITE_BACK, true, fault, 0);
        f.stateBuffer.putIntVolatile(CmdqState.OWNER_PROD_OFFSET, 0x55);
        final ValidMap otherCallersView = new ValidMap(f.stateBuffer, CmdqState.VALID_MAP_OFFSET, LOG2_SIZE);
        f.idle
            .then(() -> reserve(f.stateBuffer, 3))
            .then(() -> f.stateBuffer.putIntRelease(CmdqState.OWNER_PROD_OFFSET, 0))
            .then(() -> otherCallersView.publish(2, 5));
        f.log.clear();
        fillCommands(2, 0);
        assertEquals(IssueStatus.OK, f.issuer.issue(commands, 0, 2, false));

        final AccessLog log = f.log;
        final int otherFlip = log.indexOfFirst(stateWrite(CmdqState.VALID_MAP_OFFSET, 0b11100));
        final int prodWrite = log.indexOfFirst(AccessLog.releaseWriteOf("PROD"));
        final int ownerProd = log.indexOfFirst(stateWrite(CmdqState.OWNER_PROD_OFFSET, 5));
        assertTrue(prodWrite >= 0 && ownerProd >= 0, log.toString());
        assertEquals(5, log.events().get(prodWrite).value(), "one PROD write covers both callers");
        if (otherFlip < 0 || otherFlip > prodWrite)
        {
            return "PROD written before every gathered slot was valid";
        }
        if (prodWrite > ownerProd)
        {
            return "owner_prod handed over before PROD was written";
        }
        return null;
    }

    private static Predicate<AccessLog.Event> stateWrite(final int offset, final long value)
    {
        return e -> e.target().equals("STATE") && e.offset() == offset && e.value() == value;
    }

    private static List<Long> prodWrites(final AccessLog log)
    {
        final List<Long> values = new ArrayList<>();
        for (final AccessLog.Event e : log.events(AccessLog.releaseWriteOf("PROD")))
        {
            values.add(e.value());
        }
        return values;
    }

    /** Another caller's step 1: reserve {@code k} slots with OWNED kept set. */
    private static void reserve(final AtomicBuffer state, final int k)
    {
        final long word = state.getLongVolatile(CmdqState.PROD_CONS_OFFSET);
        final int prod = ProdCons.prod(word);
        assertTrue(ProdCons.isOwned(prod), "the owner is still gathering");
        final long next = ProdCons.withProd(word, QueueIndex.advance(prod, k, LOG2_SIZE) | ProdCons.OWNED);
        assertTrue(state.compareAndSetLong(CmdqState.PROD_CONS_OFFSET, word, next));
    }

    @Test
    void stateFieldsSitOnTheirOwnLines()
    {
        assertEquals(128, CmdqState.OWNER_PROD_OFFSET - CmdqState.PROD_CONS_OFFSET);
        assertEquals(128, CmdqState.LOCK_OFFSET - CmdqState.OWNER_PROD_OFFSET);
        assertEquals(128, CmdqState.VALID_MAP_OFFSET - CmdqState.LOCK_OFFSET);
        assertEquals(CmdqState.VALID_MAP_OFFSET + 256 / 8 + 128, CmdqState.length(8));
        assertFalse(CmdqState.length(7) > CmdqState.length(8));
    }
}
