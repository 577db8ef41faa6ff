package dev.cmdq.queue;

import dev.cmdq.queue.testkit.AccessLog;
import dev.cmdq.queue.testkit.RecordingQueueRegisters;
import dev.cmdq.queue.testkit.RecordingRingMemory;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandErrorRecoveryTest
{
    private static final int L = 3;

    private final DirectRingMemory memory = DirectRingMemory.allocate(L);
    private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    private final TestCompletionEntry completion = new TestCompletionEntry();
    private final CommandErrorRecovery recovery = new CommandErrorRecovery(memory, registers, completion);

    @AfterEach
    void tearDown()
    {
        memory.close();
        registers.close();
    }

    /** The device state after halting on slot 2 with the given code, as the SMMU leaves it. */
    private void haltedOnSlot2(final int code)
    {
        for (int i = 0; i < 4; i++)
        {
            StressEntry.write(memory.buffer(), i * 16, i, 0);
        }
        registers.putProdRelease(4);
        registers.putConsRelease(ConsRegister.withErr(2, code));
        registers.putGerrorRelease(GlobalError.CMDQ_ERR);
    }

    @Test
    void nothingActiveMeansNothingWritten()
    {
        final AccessLog log = new AccessLog();
        final CommandErrorRecovery r = new CommandErrorRecovery(memory, new RecordingQueueRegisters(log), completion);
        assertEquals(CommandErrorRecovery.NO_ERROR, r.recover());
        assertEquals(0, r.lastActive());
        assertTrue(log.events(AccessLog.Event::isWrite).isEmpty(), "" + log);
    }

    @ParameterizedTest
    @ValueSource(ints = {CommandError.ILL, CommandError.ILL_ACCESS, 0x55})
    void illegalAndUnknownCodesReplaceTheSlotWithACompletionAndAcknowledge(final int code)
    {
        haltedOnSlot2(code);
        assertEquals(code, recovery.recover());
        assertTrue(completion.isCompletion(memory.buffer(), 32), "slot at CONS is now a completion entry");
        assertEquals(CompletionEntry.NO_WRITE_BACK, completion.writeBackAddress(memory.buffer(), 32));
        assertTrue(StressEntry.isIntact(memory.buffer(), 16) && StressEntry.isIntact(memory.buffer(), 48),
            "neighbours untouched");
        assertEquals(registers.getGerrorAcquire(), registers.getGerrornAcquire(), "acknowledged");
        assertEquals(GlobalError.CMDQ_ERR, recovery.lastActive());
    }

    @ParameterizedTest
    @ValueSource(ints = {CommandError.ABT, CommandError.ATC_INV_SYNC, CommandError.NONE})
    void retriedCodesLeaveTheSlotAndAcknowledge(final int code)
    {
        haltedOnSlot2(code);
        assertEquals(code, recovery.recover());
        assertTrue(StressEntry.isIntact(memory.buffer(), 32) && StressEntry.sequence(memory.buffer(), 32) == 2,
            "slot left as it was, to be retried");
        assertEquals(GlobalError.CMDQ_ERR, registers.getGerrornAcquire());
    }

    @Test
    void otherActiveErrorsAreAcknowledgedWithoutTouchingTheQueue()
    {
        haltedOnSlot2(CommandError.ILL);
        registers.putGerrorRelease(GlobalError.MSI_CMDQ_ABT_ERR);
        assertEquals(CommandErrorRecovery.NO_ERROR, recovery.recover());
        assertEquals(GlobalError.MSI_CMDQ_ABT_ERR, recovery.lastActive());
        assertEquals(GlobalError.MSI_CMDQ_ABT_ERR, registers.getGerrornAcquire());
        assertTrue(StressEntry.isIntact(memory.buffer(), 32), "CMDQ_ERR not active: slot untouched");
    }

    @Test
    void repairIsWrittenBeforeTheAcknowledge()
    {
        final AccessLog log = new AccessLog();
        try (RecordingRingMemory ring = new RecordingRingMemory(L, log))
        {
            final RecordingQueueRegisters regs = new RecordingQueueRegisters(log);
            regs.putConsRelease(ConsRegister.withErr(5, CommandError.ILL));
            regs.putGerrorRelease(GlobalError.CMDQ_ERR);
            log.clear();
            assertEquals(CommandError.ILL, new CommandErrorRecovery(ring, regs, completion).recover());

            final int lastSlotWrite = log.indexOfLast(AccessLog.ringWriteWithin(5 * 16, 16));
            final int ack = log.indexOfFirst(AccessLog.releaseWriteOf("GERRORN"));
            assertTrue(lastSlotWrite >= 0 && ack > lastSlotWrite, "slot repaired, then GERRORN released\n" + log);
            assertEquals(1, log.events(AccessLog.releaseWriteOf("GERRORN")).size());
            assertEquals(GlobalError.CMDQ_ERR, log.events(AccessLog.releaseWriteOf("GERRORN")).get(0).value());
        }
    }

    @Test
    void consumerResumesPastARepairedIllegalEntry()
    {
        final List<Long> executed = new ArrayList<>();
        final QueueConsumer consumer = new QueueConsumer(memory, registers, (b, o, c) ->
        {
            if (completion.isCompletion(b, o))
            {
                return CommandError.NONE;
            }
            if (StressEntry.flags(b, o) == 1)
            {
                return CommandError.ILL;
            }
            executed.add(StressEntry.sequence(b, o));
            return CommandError.NONE;
        }, completion);
        StressEntry.write(memory.buffer(), 0, 0, 0);
        StressEntry.write(memory.buffer(), 16, 1, 1);
        StressEntry.write(memory.buffer(), 32, 2, 0);
        registers.putProdRelease(3);

        assertEquals(1, consumer.drain(10));
        assertTrue(consumer.isHalted());
        assertEquals(CommandError.ILL, recovery.recover());
        assertEquals(2, consumer.drain(10), "the replacement completion and entry 2");
        assertFalse(consumer.isHalted());
        assertEquals(List.of(0L, 2L), executed, "the illegal entry never executed");
        assertEquals(CommandErrorRecovery.NO_ERROR, recovery.recover());
        consumer.close();
    }
}
