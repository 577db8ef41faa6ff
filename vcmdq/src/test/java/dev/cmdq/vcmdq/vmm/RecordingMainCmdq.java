package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.vcmdq.host.HostCmdq;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.ByteOrder;

/**
 * A physical SMMU's main CMDQ for the VMM tests (the idea of host's package-private MainCmdqRig): ring,
 * registers, a {@link QueueConsumer} device that records both words of every entry it executes (host
 * syncs included) and a {@link HostCmdq} whose waits run the device inline on the caller's thread.
 */
final class RecordingMainCmdq implements AutoCloseable
{
    static final int MAX_RECORDED = 1 << 12;

    final DirectRingMemory memory = DirectRingMemory.allocate(8);
    final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
    final QueueConsumer device;
    final HostCmdq queue;
    final long[] dw0 = new long[MAX_RECORDED];
    final long[] dw1 = new long[MAX_RECORDED];
    int recorded;
    boolean record = true;
    /** Sees dword1 of every executed entry that is not a CMD_SYNC, recorded or not (for stress checks). */
    java.util.function.LongConsumer dw1Observer;

    RecordingMainCmdq(final int smmuId)
    {
        device = new QueueConsumer(memory, registers, this::onEntry, CmdSyncCompletion.LINUX);
        final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(device);
        queue = HostCmdq.open(smmuId, HostCmdqStrategy.LINUX_LOCKFREE, memory, registers, CompletionWait.WRITE_BACK,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE));
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (dw1Observer != null && (buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) & 0xFF) != 0x46)
        {
            dw1Observer.accept(buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN));
        }
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
