package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.ByteOrder;

/**
 * A physical SMMU's main CMDQ for tests: ring, registers, a {@link QueueConsumer} device that records
 * every entry it executes (both words, syncs included) and a {@link HostCmdq} whose waits run the device
 * inline on the caller's thread (deterministic). The device can be told to fail one entry.
 */
final class MainCmdqRig implements AutoCloseable
{
    static final int MAX_RECORDED = 1 << 16;

    final DirectRingMemory memory = DirectRingMemory.allocate(8);
    final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    final QueueConsumer device;
    /** Runs the device on every wait; {@code idle.consumer(null)} stalls the device. */
    final DeviceDrivingIdleStrategy idle;
    final HostCmdq queue;
    final long[] dw0 = new long[MAX_RECORDED];
    final long[] dw1 = new long[MAX_RECORDED];
    int recorded;
    /** Execution number (0-based, syncs included) the device reports CERROR_ILL for, or -1. */
    long failAt = -1;
    long executed;
    boolean record = true;

    MainCmdqRig(final int smmuId, final HostCmdqStrategy strategy, final CompletionWait completionWait, final long timeoutNs)
    {
        device = new QueueConsumer(memory, registers, this::onEntry, CmdSyncCompletion.LINUX);
        idle = new DeviceDrivingIdleStrategy(device);
        queue = HostCmdq.open(smmuId, strategy, memory, registers, completionWait,
            new WaitPolicy(timeoutNs, () -> idle, SystemNanoClock.INSTANCE));
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (executed == failAt)
        {
            return CommandError.ILL;
        }
        executed++;
        if (record)
        {
            dw0[recorded] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            dw1[recorded] = buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
            recorded++;
        }
        return CommandError.NONE;
    }

    int opcode(final int i)
    {
        return (int)(dw0[i] & 0xFF);
    }

    @Override
    public void close()
    {
        queue.close();
        device.close();
        registers.close();
        memory.close();
    }
}
