package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.ViommuType;
import dev.cmdq.vcmdq.host.VmidPolicy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The error flow with every party on its own thread: a threaded SMMU engine, two guest vCPUs issuing
 * tagged batches on their own VCMDQ (some with a forbidden command in the middle) and waiting for their
 * syncs, the VMM's event loop polling the vEVENTQ, and the guest's interrupt handler reading the
 * emulated maps through trapped reads and repairing queues through the mapped page. Every sync
 * completes, every good command executes exactly once in its queue's order with the VINTF's VMID, the
 * forbidden ones never, every fault is repaired once and raised one interrupt. All waits back off.
 * Size: {@code cmdq.stress.ops} (batches per queue = ops / 2000, at least 200), fixed seed
 * {@code cmdq.stress.seed} for where the faults go.
 */
class CmdqvErrorFlowStressTest
{
    private static final long RAM_BASE = 0x4000_0000L;
    private static final long[] RING = {RAM_BASE + 0x2_0000L, RAM_BASE + 0x3_0000L};
    private static final int LOG2 = 8;
    private static final int PER_BATCH = 6;

    // Written by the engine thread only; read after the SMMU closed (its thread joined).
    private final int[] next = new int[2];
    private int outOfOrder;
    private int wrongVmid;
    private int forbiddenExecuted;
    private volatile int vmid = -1;

    private int execute(final long d0, final long d1)
    {
        final int opcode = (int)(d0 & 0xFF);
        if (opcode == 0x10)
        {
            forbiddenExecuted++;
        }
        else if (opcode == 0x11)
        {
            final int asid = (int)(d0 >>> 48);
            final int q = asid >>> 15;
            if ((asid & 0x7FFF) != (next[q] & 0x7FFF))
            {
                outOfOrder++;
            }
            next[q]++;
            if ((int)((d0 >>> 32) & 0xFFFF) != vmid)
            {
                wrongVmid++;
            }
        }
        return CommandError.NONE;
    }

    @Test
    @Tag("stress")
    void concurrentFaultsAreReportedRepairedAndLoseNothing() throws InterruptedException
    {
        final int batches = Math.max(200, Integer.getInteger("cmdq.stress.ops", 1_000_000) / 2000);
        final SplittableRandom random = new SplittableRandom(Long.getLong("cmdq.stress.seed", 20261123L));
        final boolean[][] faulty = new boolean[2][batches];
        final int[] faults = new int[2];
        for (int q = 0; q < 2; q++)
        {
            for (int b = 0; b < batches; b++)
            {
                faulty[q][b] = random.nextInt(20) == 0;
                faults[q] += faulty[q][b] ? 1 : 0;
            }
        }

        final GuestMemory memory = GuestMemory.allocate(RAM_BASE, 1 << 20);
        final PhysicalSmmu smmu = PhysicalSmmu.builder(this::execute).maxQueueLog2Size(12).build()
            .startThreaded(new BackoffIdleStrategy(10, 10, 1_000, 50_000));
        final WaitPolicy wait = WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(10));
        final Iommufd iommufd = Iommufd.overHardware(VmidPolicy.S2_DOMAIN, HostCmdqStrategy.LINUX_LOCKFREE,
            CompletionWait.WRITE_BACK, wait, smmu);
        final CountersManager countersManager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
        final Vsmmu vsmmu = new Vsmmu(VsmmuConfig.of("vsmmu0", TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.PER_COMMAND),
            memory, iommufd, (v, s) -> true, new BusyWaitCostMeter(ModelledCosts.NONE), countersManager,
            ViommuType.TEGRA241_CMDQV);
        vsmmu.attach(iommufd.bindDevice(0, 0x4321), 0x21);
        final AtomicLong irqs = new AtomicLong();
        final CmdqvRegion region = vsmmu.mapCmdqv(0x10_0000L, irqs::incrementAndGet, 16);
        vmid = iommufd.viommu(region.viommuId()).vmid();
        final long base = 0x10_0000L;
        vsmmu.mmioWrite(base + CmdqvAperture.VINTF0_CONFIG, 1, 4);
        final LinuxCmdqIssuer[] issuers = new LinuxCmdqIssuer[2];
        for (int q = 0; q < 2; q++)
        {
            vsmmu.mmioWrite(base + CmdqvAperture.CMDQ_ALLOC_MAP + 4 * q, (q << 1) | 1, 4);
            vsmmu.mmioWrite(base + CmdqvAperture.VINTF0_PAGE1 + CmdqvAperture.VCMDQ_STRIDE * q, RING[q] | LOG2, 8);
            vsmmu.vintfPage0().writeConfig(q, 1);
            final IdleStrategy idle = WaitPolicy.defaultIdle();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (vsmmu.vintfPage0().status(q) == 0 && System.nanoTime() < deadline)
            {
                idle.idle();
            }
            issuers[q] = new LinuxCmdqIssuer(memory.ring(RING[q], LOG2), vsmmu.vcmdqRegisters(q), CmdSyncCompletion.BUSY_POLL,
                CompletionWait.CONS_POLL, wait);
        }

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger repaired = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final Thread eventLoop = new Thread(() ->
        {
            final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
            while (!stop.get())
            {
                idle.idle(vsmmu.pollEvents());
            }
        }, "vmm-event-loop");
        final Thread isr = new Thread(() ->
        {
            final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
            long handled = 0;
            while (!stop.get())
            {
                final long seen = irqs.get();
                if (seen == handled)
                {
                    idle.idle();
                    continue;
                }
                idle.reset();
                handled = seen;
                if ((vsmmu.mmioRead(base + CmdqvAperture.VI_ERR_MAP, 4) & 1) == 0)
                {
                    failures.incrementAndGet();
                }
                final long map = vsmmu.mmioRead(base + CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP, 8);
                for (int q = 0; q < 2; q++)
                {
                    if ((map & (1L << q)) == 0)
                    {
                        continue;
                    }
                    final QueueRegisters registers = vsmmu.vcmdqRegisters(q);
                    final int gerror = registers.getGerrorAcquire();
                    if (((gerror ^ registers.getGerrornAcquire()) & 1) == 0)
                    {
                        continue;  // the map keeps the last report; this queue was repaired already
                    }
                    final int cons = registers.getConsAcquire();
                    if (((cons >>> 24) & 0x7F) == CommandError.ILL_ACCESS)
                    {
                        final int at = (int)(RING[q] - RAM_BASE) + ((cons & ((1 << LOG2) - 1)) << 4);
                        memory.buffer().putLong(at, VintfPage0Test.VCMDQ_SYNC_DW0, ByteOrder.LITTLE_ENDIAN);
                        memory.buffer().putLong(at + 8, 0, ByteOrder.LITTLE_ENDIAN);
                        repaired.incrementAndGet();
                    }
                    registers.putGerrornRelease(gerror);
                }
            }
        }, "guest-isr");
        final Thread[] vcpus = new Thread[2];
        for (int q = 0; q < 2; q++)
        {
            final int queue = q;
            vcpus[q] = new Thread(() ->
            {
                final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect((PER_BATCH + 1) * 16));
                int seq = 0;
                for (int b = 0; b < batches; b++)
                {
                    int n = 0;
                    for (int i = 0; i < PER_BATCH; i++)
                    {
                        if (faulty[queue][b] && i == PER_BATCH / 2)
                        {
                            commands.putLong(16 * n, 0x10, ByteOrder.LITTLE_ENDIAN);  // TLBI_NH_ALL: forbidden
                            commands.putLong(16 * n++ + 8, 0, ByteOrder.LITTLE_ENDIAN);
                        }
                        final long asid = ((long)queue << 15) | (seq++ & 0x7FFF);
                        commands.putLong(16 * n, 0x11 | (0x3L << 32) | (asid << 48), ByteOrder.LITTLE_ENDIAN);
                        commands.putLong(16 * n++ + 8, 0, ByteOrder.LITTLE_ENDIAN);
                    }
                    if (issuers[queue].issue(commands, 0, n, true) != IssueStatus.OK)
                    {
                        failures.incrementAndGet();
                    }
                }
            }, "vcpu-" + q);
        }
        eventLoop.start();
        isr.start();
        for (final Thread t : vcpus)
        {
            t.start();
        }
        for (final Thread t : vcpus)
        {
            t.join(TimeUnit.SECONDS.toMillis(120));
        }
        stop.set(true);
        eventLoop.join(TimeUnit.SECONDS.toMillis(10));
        isr.join(TimeUnit.SECONDS.toMillis(10));
        for (final LinuxCmdqIssuer issuer : issuers)
        {
            issuer.close();
        }
        vsmmu.closeCmdqv();
        iommufd.close();
        smmu.close();

        assertEquals(0, failures.get(), "every sync completed, every interrupt found VI_ERR_MAP set");
        assertEquals(batches * PER_BATCH, next[0], "VCMDQ 0 executed every good command");
        assertEquals(batches * PER_BATCH, next[1], "VCMDQ 1 executed every good command");
        assertEquals(0, outOfOrder);
        assertEquals(0, wrongVmid);
        assertEquals(0, forbiddenExecuted);
        assertEquals(faults[0] + faults[1], repaired.get(), "every fault repaired once");
        assertEquals(faults[0] + faults[1], region.counters().errorReports().get(), "one report per fault");
        assertEquals(region.counters().errorReports().get(), region.counters().interrupts().get());
        assertEquals(0, region.counters().lostEvents().get());
        assertEquals(0, region.counters().overflows().get());
        assertTrue(faults[0] > 0 && faults[1] > 0, "the seed put faults on both queues");
    }
}
