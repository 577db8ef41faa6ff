package dev.cmdq.smmu;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.spin.SpinLockIssuer;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real CMD_SYNC format driving queue-core's multi-producer strategies: both completion waits
 * (MSI write-back into the sync's own slot, and CONS polling with CS=SEV) complete, and the device sees
 * exactly the commands followed by one CMD_SYNC per call. Found missing when the benchmarks first
 * combined the two modules: the strategies probed the format with MSI address 0, which CMD_SYNC refuses.
 */
final class CmdSyncIssuerIntegrationTest
{
    enum Strategy
    {
        LINUX_WRITE_BACK, LINUX_CONS_POLL, SPIN_WRITE_BACK, SPIN_CONS_POLL
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void issueWithSyncCompletesThroughTheDevice(final Strategy strategy)
    {
        try (DirectRingMemory memory = DirectRingMemory.allocate(8);
            MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final List<Integer> opcodes = new ArrayList<>();
            final QueueConsumer device = new QueueConsumer(memory, registers,
                (b, o, c) ->
                {
                    opcodes.add(b.getInt(o) & 0xFF);
                    return 0;
                }, CmdSyncCompletion.LINUX);
            final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(device);
            final WaitPolicy wait = new WaitPolicy(TimeUnit.SECONDS.toNanos(5), () -> idle, SystemNanoClock.INSTANCE);
            final CompletionWait mode = strategy.name().endsWith("WRITE_BACK") ? CompletionWait.WRITE_BACK : CompletionWait.CONS_POLL;
            final CommandIssuer issuer = strategy.name().startsWith("LINUX") ?
                new LinuxCmdqIssuer(memory, registers, CmdSyncCompletion.LINUX, mode, wait) :
                new SpinLockIssuer(memory, registers, CmdSyncCompletion.LINUX, mode, wait);

            final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * 16));
            final TlbiEncoder tlbi = new TlbiEncoder();
            for (int i = 0; i < 3; i++)
            {
                tlbi.wrap(commands, i * 16, Opcode.TLBI_NH_VA).vmid(1).asid(2).addr(0x1000L * i);
            }
            for (int call = 0; call < 100; call++)
            {
                assertEquals(IssueStatus.OK, issuer.issue(commands, 0, 3, true), "call " + call);
            }
            issuer.close();
            device.close();

            assertEquals(400, opcodes.size());
            for (int i = 0; i < opcodes.size(); i++)
            {
                final int expected = i % 4 == 3 ? 0x46 : 0x12;
                assertEquals(expected, (int)opcodes.get(i), "entry " + i);
            }
        }
    }
}
