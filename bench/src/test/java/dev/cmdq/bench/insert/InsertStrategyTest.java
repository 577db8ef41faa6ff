package dev.cmdq.bench.insert;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every strategy the insertion benchmark names builds a working issuer over a CMD_SYNC queue: a call of
 * 8 commands with a sync returns OK once the device (run from the caller's waits) executed 8 commands
 * and one CMD_SYNC; labels round-trip.
 */
class InsertStrategyTest
{
    private int commands;
    private int syncs;

    @ParameterizedTest
    @EnumSource(value = InsertStrategy.class, mode = EnumSource.Mode.EXCLUDE, names = "AGRONA_MANY_TO_ONE")
    void buildsAnIssuerWhoseSyncCallCompletesAfterItsCommands(final InsertStrategy strategy)
    {
        assertSame(strategy, InsertStrategy.ofLabel(strategy.label()));
        try (DirectRingMemory memory = DirectRingMemory.allocate(InsertBenchmark.LOG2_SIZE);
            MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final QueueConsumer device = new QueueConsumer(memory, registers, (buffer, offset, cons) ->
            {
                if (CmdSyncCompletion.LINUX.isCompletion(buffer, offset))
                {
                    syncs++;
                }
                else
                {
                    commands++;
                }
                return 0;
            }, CmdSyncCompletion.LINUX);
            final IdleStrategy runDevice = new IdleStrategy()
            {
                @Override
                public void idle(final int workCount)
                {
                    idle();
                }

                @Override
                public void idle()
                {
                    device.doWork();
                }

                @Override
                public void reset()
                {
                }
            };
            final CommandIssuer issuer = strategy.create(memory, registers, CmdSyncCompletion.LINUX,
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> runDevice, SystemNanoClock.INSTANCE));
            final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 16));
            for (int i = 0; i < 8; i++)
            {
                batch.putLong(i * 16, 0x0001_0002_0000_0012L);
                batch.putLong(i * 16 + 8, 0x1000L * i);
            }
            assertEquals(IssueStatus.OK, issuer.issue(batch, 0, 8, true));
            assertEquals(8, commands);
            assertEquals(1, syncs);
            assertEquals(strategy.label(), issuer.name());
            issuer.close();
            device.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = InsertStrategy.class, names = "AGRONA_MANY_TO_ONE")
    void thePeerIsBuiltByTheBenchmarkItself(final InsertStrategy strategy)
    {
        assertThrows(UnsupportedOperationException.class, () -> strategy.create(null, null, null, null));
    }
}
