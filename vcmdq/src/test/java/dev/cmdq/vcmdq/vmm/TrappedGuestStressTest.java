package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two vCPU threads of one guest issue through the same Linux multi-producer issuer over one vSMMU's
 * trapping registers: exits serialise on the vSMMU's lock, whichever vCPU's PROD write traps consumes
 * everybody's commands, and every command reaches the host exactly once, in each vCPU's order.
 * Each command carries {vCPU, sequence} in its TLBI address (dword1, which the host leaves alone).
 * Meanwhile a monitor thread reads the Agrona counters while they run: they never go backwards.
 * Size: {@code cmdq.stress.ops} / 50 commands per vCPU (CI size 20,000), seed {@code cmdq.stress.seed}.
 */
@Tag("stress")
class TrappedGuestStressTest
{
    private static final int PER_VCPU = (int)Math.max(1000, Long.getLong("cmdq.stress.ops", 1_000_000) / 50);
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261123L);

    @ParameterizedTest
    @EnumSource(ForwardingPolicy.class)
    void everyCommandOfEveryVcpuArrivesOnceAndInOrder(final ForwardingPolicy policy) throws InterruptedException
    {
        try (VmmRig rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, policy))
        {
            rig.smmu0.record = false;
            rig.attach(0, 0x100, 0x8);
            rig.enable();
            final long[] next = new long[2];
            final AtomicInteger disorder = new AtomicInteger();
            // The host device runs under the vSMMU lock only (inline), so these plain updates are ordered.
            rig.smmu0.dw1Observer = dw1 ->
            {
                final int vcpu = (int)(dw1 >>> 40) & 1;
                final long seq = (dw1 >>> 12) & 0xFFF_FFFFL;
                if (seq != next[vcpu])
                {
                    disorder.incrementAndGet();
                }
                next[vcpu] = seq + 1;
            };
            final ExternalRingMemory ring = rig.memory.ring(VmmRig.RING_GPA, VmmRig.LOG2);
            final LinuxCmdqIssuer guest = new LinuxCmdqIssuer(ring, rig.vsmmu.cmdqRegisters(), CmdSyncCompletion.LINUX,
                CompletionWait.CONS_POLL, WaitPolicy.withTimeout(WaitPolicy.DEFAULT_TIMEOUT_NS));
            final int[] failures = new int[2];
            final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            final int[] backwards = new int[1];
            final long[] reads = new long[1];
            final Thread monitor = new Thread(() ->
            {
                long lastCommands = 0;
                long lastTraps = 0;
                do
                {
                    final long commands = rig.vsmmu.cmdqCounters().commands().get();
                    final long traps = rig.vsmmu.counters().totals().traps().get();
                    if (commands < lastCommands || traps < lastTraps)
                    {
                        backwards[0]++;
                    }
                    lastCommands = commands;
                    lastTraps = traps;
                    reads[0]++;
                    Thread.yield();
                }
                while (running.get());
            }, "monitor");
            monitor.start();
            final Thread[] vcpus = new Thread[2];
            for (int v = 0; v < 2; v++)
            {
                final int vcpu = v;
                vcpus[v] = new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(SEED + vcpu);
                    final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 16));
                    int seq = 0;
                    while (seq < PER_VCPU)
                    {
                        final int n = Math.min(1 + random.nextInt(8), PER_VCPU - seq);
                        for (int i = 0; i < n; i++)
                        {
                            commands.putLong(i * 16, 0x12 | ((long)(vcpu + 1) << 48), ByteOrder.LITTLE_ENDIAN);
                            commands.putLong(i * 16 + 8, ((long)vcpu << 40) | ((long)(seq + i) << 12), ByteOrder.LITTLE_ENDIAN);
                        }
                        if (guest.issue(commands, 0, n, random.nextInt(4) != 0 || seq + n == PER_VCPU) != IssueStatus.OK)
                        {
                            failures[vcpu]++;
                        }
                        seq += n;
                    }
                }, "vcpu-" + v);
                vcpus[v].start();
            }
            for (final Thread vcpu : vcpus)
            {
                vcpu.join();
            }
            running.set(false);
            monitor.join();
            guest.close();
            assertArrayEquals(new int[2], failures);
            assertEquals(0, backwards[0], "a counter went backwards while read during the run");
            assertTrue(reads[0] > 0, "the monitor read the counters");
            // Every command and every guest CMD_SYNC was consumed: the counter agrees with the host.
            assertEquals(2L * PER_VCPU + rig.vsmmu.cmdqCounters().syncs().get(), rig.vsmmu.cmdqCounters().commands().get());
            assertEquals(0, disorder.get(), "commands out of a vCPU's order, duplicated or lost");
            assertArrayEquals(new long[] {PER_VCPU, PER_VCPU}, next);
            assertEquals(0, rig.vsmmu.cmdqCounters().errors().get());
        }
    }
}
