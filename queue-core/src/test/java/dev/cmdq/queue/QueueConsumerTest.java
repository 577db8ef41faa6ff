package dev.cmdq.queue;

import dev.cmdq.queue.testkit.AccessLog;
import dev.cmdq.queue.testkit.RecordingQueueRegisters;
import dev.cmdq.queue.testkit.RecordingRingMemory;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueConsumerTest
{
    private static final int L = 3;
    private static final int CAP = 1 << L;
    private static final int WRAP_INDEX_MASK = (2 << L) - 1;

    private final DirectRingMemory memory = DirectRingMemory.allocate(L);
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final List<Long> executed = new ArrayList<>();
    private final List<Integer> executedCons = new ArrayList<>();
    /** Prod value the hand-written producer of these tests has reached. */
    private int prod;

    @AfterEach
    void tearDown()
    {
        if (memory.holders() == 0)
        {
            memory.close();
        }
        registers.close();
    }

    private int recordAll(final AtomicBuffer buffer, final int offset, final int cons)
    {
        assertTrue(StressEntry.isIntact(buffer, offset), "torn entry at offset " + offset);
        executed.add(StressEntry.sequence(buffer, offset));
        executedCons.add(cons);
        return CommandError.NONE;
    }

    /** Writes stress entries seq..seq+n-1 and publishes them, as an independent hand-written producer. */
    private void produce(final long firstSeq, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            StressEntry.write(memory.buffer(), ((prod + i) & (CAP - 1)) * 16, firstSeq + i, 0);
        }
        prod = (prod + n) & WRAP_INDEX_MASK;
        registers.putProdRelease(prod);
    }

    private void produceCompletion(final long writeBackAddress)
    {
        completion.write(memory.buffer(), (prod & (CAP - 1)) * 16, writeBackAddress);
        prod = (prod + 1) & WRAP_INDEX_MASK;
        registers.putProdRelease(prod);
    }

    @Test
    void consumesPublishedEntriesInOrderAndStoresCons()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        assertEquals(0, consumer.drain(64), "empty queue");
        produce(100, 5);

        assertEquals(5, consumer.drain(64));
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L), executed);
        assertEquals(List.of(0, 1, 2, 3, 4), executedCons);
        assertEquals(5, registers.getConsAcquire());
        assertEquals(5, consumer.cons());
        assertEquals(0, consumer.drain(64), "nothing new");
        consumer.close();
    }

    @Test
    void drainStopsAtLimit()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        produce(0, 7);
        assertEquals(3, consumer.drain(3));
        assertEquals(3, registers.getConsAcquire());
        assertEquals(3, consumer.drain(3));
        assertEquals(1, consumer.drain(3));
        assertEquals(7, registers.getConsAcquire());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), executed);
        consumer.close();
    }

    @Test
    void wrapsAroundTheRingAndFlipsTheWrapBit()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        long seq = 0;
        for (int round = 0; round < 10; round++)
        {
            produce(seq, CAP);
            assertEquals(CAP, consumer.drain(100));
            seq += CAP;
            // After each full ring CONS has the same index and the opposite wrap bit.
            assertEquals((round + 1) % 2 == 1 ? CAP : 0, registers.getConsAcquire(), "round " + round);
        }
        for (int i = 0; i < seq; i++)
        {
            assertEquals(i, executed.get(i));
        }
        consumer.close();
    }

    /**
     * The one-entry drain and the counted loop are separate code: each limit must give the same history —
     * order, CONS, a halt on the failing entry, the retry after acknowledge, completion write-backs — with
     * the ring wrapping meanwhile. Expected values are those of a drain that takes min(limit, waiting).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 64})
    void everyLimitGivesTheSameHistory(final int limit)
    {
        final long failSeq = 13;
        final boolean[] repaired = {false};
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
        {
            if (completion.isCompletion(b, o))
            {
                executedCons.add(c);
                return CommandError.NONE;
            }
            if (StressEntry.sequence(b, o) == failSeq && !repaired[0])
            {
                return CommandError.ILL;
            }
            return recordAll(b, o, c);
        }, completion);
        long seq = 0;
        int consumed = 0;
        for (int round = 0; round < 6; round++)
        {
            produce(seq, CAP - 1);
            seq += CAP - 1;
            final int slot = prod & (CAP - 1);
            produceCompletion(memory.deviceAddress() + slot * 16L);
            int waiting = CAP;
            while (waiting > 0)
            {
                final int n = consumer.drain(limit);
                if (consumer.isHalted())
                {
                    assertEquals(CommandError.ILL, ConsRegister.err(registers.getConsAcquire()), "halted with ILL");
                    repaired[0] = true;
                    registers.putGerrornRelease(registers.getGerrorAcquire());
                }
                else
                {
                    assertEquals(Math.min(limit, waiting), n, "round " + round + ", " + waiting + " waiting");
                }
                waiting -= n;
                consumed += n;
            }
            assertEquals(0, consumer.drain(limit), "nothing left in round " + round);
            assertEquals(TestCompletionEntry.DEFAULT_VALUE, memory.buffer().getInt(slot * 16),
                "completion of round " + round + " wrote its word over its KIND");
        }
        assertEquals(6 * CAP, consumed);
        assertEquals((6 * CAP) & WRAP_INDEX_MASK, registers.getConsAcquire() & WRAP_INDEX_MASK);
        assertEquals(1, consumer.halts());
        for (int i = 0; i < seq; i++)
        {
            assertEquals(i, executed.get(i), "entry " + i + " executed once, in order");
        }
        assertEquals(seq, executed.size());
        consumer.close();
    }

    @Test
    void keepsErrBitsWhenAdvancingWithoutError()
    {
        registers.putConsRelease(ConsRegister.withErr(0, CommandError.ABT));
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        produce(0, 3);
        assertEquals(3, consumer.drain(10));
        assertEquals((CommandError.ABT << 24) | 3, registers.getConsAcquire());
        consumer.close();
    }

    @Test
    void haltsOnTheFailingEntryAndResumesOnlyAfterAcknowledge()
    {
        final int[] failSeq = {2};
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
        {
            if (StressEntry.sequence(b, o) == failSeq[0])
            {
                return CommandError.ILL;
            }
            return recordAll(b, o, c);
        }, completion);
        produce(0, 5);

        assertEquals(2, consumer.drain(10), "entries before the bad one are consumed");
        assertTrue(consumer.isHalted());
        assertEquals((CommandError.ILL << 24) | 2, registers.getConsAcquire(), "CONS on the entry, ERR=ILL");
        assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
        assertEquals(1, consumer.halts());

        failSeq[0] = -1; // the entry would now pass, but software has not acknowledged yet
        assertEquals(0, consumer.drain(10));
        assertEquals(0, consumer.drain(10));
        assertEquals(List.of(0L, 1L), executed);

        registers.putGerrornRelease(registers.getGerrorAcquire());
        assertEquals(3, consumer.drain(10), "restarts at CONS: the failing entry is retried");
        assertFalse(consumer.isHalted());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), executed);
        assertEquals((CommandError.ILL << 24) | 5, registers.getConsAcquire(), "ERR kept after resuming, as QEMU");
        assertEquals(1, consumer.halts());
        consumer.close();
    }

    @Test
    void secondErrorTogglesGerrorAgain()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
            StressEntry.sequence(b, o) % 2 == 1 && !executed.contains(-StressEntry.sequence(b, o)) ?
                reject(StressEntry.sequence(b, o)) : recordAll(b, o, c), completion);
        produce(0, 4);
        assertEquals(1, consumer.drain(10));
        assertEquals(1, registers.getGerrorAcquire());
        registers.putGerrornRelease(1);
        assertEquals(2, consumer.drain(10));
        assertEquals(0, registers.getGerrorAcquire(), "toggled back: active again");
        assertEquals(1, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
        registers.putGerrornRelease(0);
        assertEquals(1, consumer.drain(10));
        assertEquals(2, consumer.halts());
        consumer.close();
    }

    private int reject(final long seq)
    {
        executed.add(-seq); // remember: rejected once, pass the next time
        return CommandError.ABT;
    }

    @Test
    void startsHaltedWhenCmdqErrIsActive()
    {
        registers.putGerrorRelease(GlobalError.CMDQ_ERR);
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        produce(0, 2);
        assertEquals(0, consumer.drain(10));
        assertTrue(consumer.isHalted());
        registers.putGerrornRelease(GlobalError.CMDQ_ERR);
        assertEquals(2, consumer.drain(10));
        consumer.close();
    }

    @Test
    void otherActiveErrorsDoNotHalt()
    {
        registers.putGerrorRelease(GlobalError.MSI_CMDQ_ABT_ERR | GlobalError.SFM_ERR);
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        produce(0, 2);
        assertEquals(2, consumer.drain(10));
        consumer.close();
    }

    @Test
    void writesCompletionWordIntoOwnSlot()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, completion);
        produce(0, 1);
        final int slot = prod & (CAP - 1);
        produceCompletion(memory.deviceAddress() + slot * 16L);
        assertEquals(TestCompletionEntry.KIND, memory.buffer().getInt(slot * 16));

        assertEquals(2, consumer.drain(10));
        assertEquals(TestCompletionEntry.DEFAULT_VALUE, memory.buffer().getInt(slot * 16));
        assertEquals(1, consumer.writeBacks());
        assertEquals(0, GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
        consumer.close();
    }

    @Test
    void writesCompletionWordAnywhereInsideTheRingIncludingTheLastWord()
    {
        final QueueConsumer consumer = new QueueConsumer(
            memory, registers, (b, o, c) -> CommandError.NONE, new TestCompletionEntry(0x1234_5678));
        final long lastWord = memory.deviceAddress() + CAP * 16L - 4;
        new TestCompletionEntry(0x1234_5678).write(memory.buffer(), 0, lastWord);
        prod = 1;
        registers.putProdRelease(prod);
        assertEquals(1, consumer.drain(10));
        assertEquals(0x1234_5678, memory.buffer().getInt(CAP * 16 - 4));
        consumer.close();
    }

    @Test
    void writeBackOutsideTheRingIsNotWrittenAndRaisesMsiCmdqAbt()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::skipCompletions, completion);
        final long base = memory.deviceAddress();
        final long[] bad = {base - 4, base + CAP * 16L, base + CAP * 16L - 2, base + 2, Long.MAX_VALUE};
        final byte[] before = new byte[CAP * 16];
        for (final long address : bad)
        {
            produceCompletion(address);
            memory.buffer().getBytes(0, before);
            assertEquals(1, consumer.drain(10), "the completion itself is consumed");
            final byte[] after = new byte[CAP * 16];
            memory.buffer().getBytes(0, after);
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(after), "nothing written for " + address);
            assertFalse(consumer.isHalted(), "an MSI abort does not halt the queue");
            assertEquals(GlobalError.MSI_CMDQ_ABT_ERR,
                GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()));
            registers.putGerrornRelease(registers.getGerrorAcquire());
        }
        assertEquals(bad.length, consumer.writeBackAborts());
        assertEquals(0, consumer.writeBacks());
        consumer.close();
    }

    private int skipCompletions(final AtomicBuffer buffer, final int offset, final int cons)
    {
        return completion.isCompletion(buffer, offset) ? CommandError.NONE : recordAll(buffer, offset, cons);
    }

    @Test
    void completionWithoutWriteBackWritesNothing()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::skipCompletions, completion);
        produceCompletion(CompletionEntry.NO_WRITE_BACK);
        assertEquals(1, consumer.drain(10));
        assertEquals(TestCompletionEntry.KIND, memory.buffer().getInt(0));
        assertEquals(0, consumer.writeBacks());
        assertEquals(0, consumer.writeBackAborts());
        consumer.close();
    }

    @Test
    void withoutCompletionFormatEveryEntryOnlyGoesToTheHandler()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) -> CommandError.NONE, null);
        produceCompletion(memory.deviceAddress());
        assertEquals(1, consumer.drain(10));
        assertEquals(TestCompletionEntry.KIND, memory.buffer().getInt(0), "not recognised, not written");
        consumer.close();
    }

    @Test
    void handlerExceptionKeepsEarlierEntriesConsumedAndRetriesTheThrowingOne()
    {
        final boolean[] thrown = {false};
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
        {
            if (StressEntry.sequence(b, o) == 3 && !thrown[0])
            {
                thrown[0] = true;
                throw new IllegalStateException("handler bug");
            }
            return recordAll(b, o, c);
        }, completion);
        produce(0, 5);
        assertThrows(IllegalStateException.class, () -> consumer.drain(10));
        assertEquals(3, registers.getConsAcquire());
        assertEquals(2, consumer.drain(10));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), executed);
        consumer.close();
    }

    @Test
    void handlerExceptionInAOneEntryDrainConsumesNothingAndRetriesTheEntry()
    {
        // The one-entry drain is a separate path with no exception handler of its own.
        final boolean[] thrown = {false};
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
        {
            if (StressEntry.sequence(b, o) == 1 && !thrown[0])
            {
                thrown[0] = true;
                throw new IllegalStateException("handler bug");
            }
            return recordAll(b, o, c);
        }, completion);
        produce(0, 3);
        assertEquals(1, consumer.drain(1));
        assertThrows(IllegalStateException.class, () -> consumer.drain(1));
        assertEquals(1, registers.getConsAcquire(), "CONS stays on the throwing entry");
        assertEquals(1, consumer.cons());
        assertFalse(consumer.isHalted(), "a throw is not a CERROR");
        assertEquals(1, consumer.drain(1));
        assertEquals(1, consumer.drain(1));
        assertEquals(0, consumer.drain(1));
        assertEquals(List.of(0L, 1L, 2L), executed);
        assertEquals(3, registers.getConsAcquire());
        consumer.close();
    }

    @ParameterizedTest(name = "code {0}, limit 1 and 10")
    @ValueSource(ints = {-1, CommandError.MAX + 1, 0x1000_0000, Integer.MIN_VALUE})
    void handlerCodeOutsideTheCerrorRangeIsReportedNotMaskedAndTheEntryIsRetried(final int badCode)
    {
        for (final int limit : new int[] {1, 10})
        {
            final boolean[] returned = {false};
            final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
            {
                if (StressEntry.sequence(b, o) == prod - 1 && !returned[0])
                {
                    returned[0] = true;
                    return badCode;
                }
                return recordAll(b, o, c);
            }, completion);
            final int before = registers.getConsAcquire();
            produce(prod, 2);
            final int second = (before + 1) & WRAP_INDEX_MASK;
            if (limit == 1)
            {
                assertEquals(1, consumer.drain(limit));
            }
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> consumer.drain(limit));
            assertTrue(ex.getMessage().contains("error code " + badCode), ex.getMessage());
            assertTrue(ex.getMessage().contains("CONS=0x" + Integer.toHexString(second)), ex.getMessage());
            assertEquals(second, registers.getConsAcquire(), "the entry before stays consumed, CONS.ERR untouched");
            assertEquals(0, registers.getGerrorAcquire(), "no CMDQ_ERR for a code CONS.ERR cannot carry");
            assertFalse(consumer.isHalted());
            assertEquals(1, consumer.drain(limit), "retried");
            assertEquals((before + 2) & WRAP_INDEX_MASK, registers.getConsAcquire());
            consumer.close();
        }
        assertEquals(4, executed.size(), "each of the four entries executed once, the rejected ones on retry");
    }

    @Test
    void agentDoWorkDrainsOneBatch()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion, 2);
        produce(0, 5);
        assertEquals(2, consumer.doWork());
        assertEquals(2, consumer.doWork());
        assertEquals(1, consumer.doWork());
        assertEquals(0, consumer.doWork());
        assertEquals("cmdq-consumer", consumer.roleName());
        consumer.onClose();
        assertEquals(0, memory.holders());
    }

    @Test
    void badArgumentsAreNamed()
    {
        final IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
            () -> new QueueConsumer(memory, registers, this::recordAll, completion, 0));
        assertTrue(batch.getMessage().contains("batchLimit=0"), batch.getMessage());
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        final IllegalArgumentException limit = assertThrows(IllegalArgumentException.class, () -> consumer.drain(0));
        assertTrue(limit.getMessage().contains("limit=0"), limit.getMessage());
        assertThrows(NullPointerException.class, () -> new QueueConsumer(memory, registers, null, completion));
        consumer.close();
    }

    @Test
    void retainsMemoryUntilClosed()
    {
        final QueueConsumer consumer = new QueueConsumer(memory, registers, this::recordAll, completion);
        assertEquals(1, memory.holders());
        assertThrows(IllegalStateException.class, memory::close);
        consumer.close();
        consumer.close();
        assertEquals(0, memory.holders());
    }

    // ---- ordering, pinned with a recording ring and recording registers ----

    @Test
    void writeBackIsStoredBeforeConsMovesPastTheCompletion()
    {
        final AccessLog log = new AccessLog();
        try (RecordingRingMemory ring = new RecordingRingMemory(L, log))
        {
            final RecordingQueueRegisters regs = new RecordingQueueRegisters(log);
            final QueueConsumer consumer = new QueueConsumer(ring, regs, (b, o, c) -> CommandError.NONE, completion);
            StressEntry.write(ring.buffer(), 0, 7, 0);
            completion.write(ring.buffer(), 16, ring.deviceAddress() + 16);
            StressEntry.write(ring.buffer(), 32, 8, 0);
            regs.putProdRelease(3);
            log.clear();

            assertEquals(3, consumer.drain(10));

            final int writeBack = log.indexOfFirst(e -> e.target().equals("RING") && e.kind() == AccessLog.Kind.RELEASE_WRITE);
            final int consStore = log.indexOfFirst(AccessLog.releaseWriteOf("CONS"));
            assertTrue(writeBack >= 0, "write-back is a release store into the ring\n" + log);
            assertEquals(16, log.events().get(writeBack).offset());
            assertEquals(TestCompletionEntry.DEFAULT_VALUE, log.events().get(writeBack).value());
            assertTrue(consStore > writeBack, "CONS stored after the write-back\n" + log);
            assertEquals(1, log.events(AccessLog.releaseWriteOf("CONS")).size(), "one CONS store per drain\n" + log);
            assertEquals(3, log.events(AccessLog.releaseWriteOf("CONS")).get(0).value());
            final int prodRead = log.indexOfFirst(e -> e.target().equals("PROD") && e.kind() == AccessLog.Kind.ACQUIRE_READ);
            assertTrue(prodRead >= 0 && prodRead < writeBack, "PROD acquired before the entries are used\n" + log);
            consumer.close();
        }
    }

    @Test
    void consErrIsStoredBeforeGerrorTogglesAndNothingFollowsTheHalt()
    {
        final AccessLog log = new AccessLog();
        try (RecordingRingMemory ring = new RecordingRingMemory(L, log))
        {
            final RecordingQueueRegisters regs = new RecordingQueueRegisters(log);
            final QueueConsumer consumer = new QueueConsumer(ring, regs,
                (b, o, c) -> StressEntry.sequence(b, o) == 1 ? CommandError.ATC_INV_SYNC : CommandError.NONE, completion);
            StressEntry.write(ring.buffer(), 0, 0, 0);
            StressEntry.write(ring.buffer(), 16, 1, 0);
            StressEntry.write(ring.buffer(), 32, 2, 0);
            regs.putProdRelease(3);
            log.clear();

            assertEquals(1, consumer.drain(10));

            final List<AccessLog.Event> writes = log.events(AccessLog.Event::isWrite);
            assertEquals(2, writes.size(), "exactly CONS then GERROR\n" + log);
            assertEquals("CONS", writes.get(0).target());
            assertEquals((CommandError.ATC_INV_SYNC << 24) | 1, writes.get(0).value());
            assertEquals("GERROR", writes.get(1).target());
            assertEquals(GlobalError.CMDQ_ERR, writes.get(1).value());
            // Nothing of entry 2 was read after the halt.
            assertEquals(-1, log.indexOfFirst(e -> e.target().equals("RING") && e.offset() >= 32 && e.offset() < 48), "" + log);
            consumer.close();
        }
    }
}
