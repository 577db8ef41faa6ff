package dev.cmdq.queue.mapped;

import dev.cmdq.queue.lockfree.SharedCmdqState;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A waiting thread's idle rounds reach the repair: after {@link ClaimRecorder#STALLS_BEFORE_REPAIR}
 * rounds without work in one call (not before, and rounds with work do not count), a dead producer's
 * lease is reclaimed; the thread's own back-off strategy still runs every round.
 */
class RepairingIdleStrategyTest
{
    private Path dir;
    private MappedRingMemory memory;

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-idle-test-");
        memory = MappedRingMemory.create(dir.resolve("q.ring"), 7, 0x4000_0000L);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        memory.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theRepairRunsAfterTheStallThreshold()
    {
        final long mine = ProducerLeases.holderWord(ProcessHandle.current());
        final long deadWord = ProducerLeases.word(ProducerLeases.pid(mine), ProducerLeases.startTicks(mine) - 1);
        final int deadLease = memory.leases().acquire(deadWord); // died idle: nothing to repair but its lease
        final SharedCmdqState state = SharedCmdqState.join(memory.cmdqState(), 7);
        final DeadProducerRepair repair = new DeadProducerRepair(memory, state, new TestCompletionEntry());
        final long[] clock = {1_000};
        final ClaimRecorder recorder = new ClaimRecorder(memory.leases(), new ClaimRecords(memory.claimRecords()), repair,
            mine, 7, () -> clock[0], 1_000_000);
        final int[] backOffs = new int[1];
        final IdleStrategy strategy = new RepairingIdleStrategy(new IdleStrategy()
        {
            @Override
            public void idle(final int workCount)
            {
                backOffs[0]++;
            }

            @Override
            public void idle()
            {
                backOffs[0]++;
            }

            @Override
            public void reset()
            {
            }
        }, recorder);

        recorder.begin();
        for (int i = 0; i < ClaimRecorder.STALLS_BEFORE_REPAIR - 1; i++)
        {
            strategy.idle(1); // a round with work is no stall
            strategy.idle();
        }
        assertEquals(deadWord, memory.leases().holder(deadLease), "31 stalls: no repair yet");
        strategy.idle(0);
        assertEquals(0, memory.leases().holder(deadLease), "the 32nd stall repaired the dead producer");
        assertEquals(2 * (ClaimRecorder.STALLS_BEFORE_REPAIR - 1) + 1, backOffs[0], "the own back-off ran every round");
        assertEquals(1, repair.repairs());

        // A second dead producer within the scan interval waits for the interval, even past the threshold.
        final int second = memory.leases().acquire(deadWord);
        recorder.begin();
        for (int i = 0; i < 2 * ClaimRecorder.STALLS_BEFORE_REPAIR; i++)
        {
            strategy.idle();
        }
        assertNotEquals(0, memory.leases().holder(second), "no second scan inside the interval");
        clock[0] += 1_000_000;
        strategy.idle();
        assertEquals(0, memory.leases().holder(second), "the next stall after the interval scans again");
        recorder.close();
    }
}
