package dev.cmdq.bench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.SingleWriterProducer;
import dev.cmdq.queue.dispatch.DispatchIssuer;
import dev.cmdq.queue.dispatch.DispatchMode;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.GuestPath;
import dev.cmdq.vcmdq.testbed.Platform;
import dev.cmdq.vcmdq.testbed.Vm;
import dev.cmdq.vcmdq.testbed.VmConfig;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Fault injection against the real queue machinery, CI-sized and without wall-clock timing: time is an
 * injected clock that only the waiter's idle strategy advances, so "within the bound" is an exact count
 * of back-offs. Engine stall (the engine is not run: inline mode, nobody calls it), queue full for long
 * periods, VM teardown with commands in flight (the §1.9 step 5 order, observed at the SMMU), a
 * dispatcher closed while requesters wait.
 */
class FaultInjectionTest
{
    private static final long TLBI_NH_ASID = 0x11;
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Time that moves only when a waiter backs off: one millisecond per idle. */
    private static final class SteppedTime implements NanoClock, IdleStrategy
    {
        long now;
        int idles;

        @Override
        public long nanoTime()
        {
            return now;
        }

        @Override
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            idles++;
            now += STEP_NS;
        }

        @Override
        public void reset()
        {
        }
    }

    /** The ASIDs of the TLBI_NH_ASIDs the SMMU executed, in order (engine thread only; inline here). */
    private static final class AsidRecord
    {
        final List<Integer> asids = new ArrayList<>();

        int execute(final long dword0, final long dword1)
        {
            if ((dword0 & 0xFF) == TLBI_NH_ASID)
            {
                asids.add((int)(dword0 >>> 48));
            }
            return CommandError.NONE;
        }
    }

    private static void put(final SingleWriterProducer producer, final int prod, final int asid)
    {
        final int at = producer.slotOffset(prod);
        producer.buffer().putLong(at, TLBI_NH_ASID | (long)asid << 48, ByteOrder.LITTLE_ENDIAN);
        producer.buffer().putLong(at + 8, 0, ByteOrder.LITTLE_ENDIAN);
    }

    private static void runEngine(final PhysicalSmmu smmu, final int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            smmu.dutyCycle();
        }
    }

    @Test
    void engineStallTimesOutWithinTheBoundAndLosesNothing()
    {
        final AsidRecord record = new AsidRecord();
        try (PhysicalSmmu smmu = PhysicalSmmu.builder(record::execute).mainCmdqLog2Size(4).build().startInline())
        {
            final SteppedTime time = new SteppedTime();
            final SingleWriterProducer producer = new SingleWriterProducer(
                smmu.mainCmdqMemory(), smmu.mainCmdqRegisters(), null, time, TIMEOUT_NS, time);
            int last = 0;
            for (int asid = 0; asid < 8; asid++)
            {
                last = producer.claim(1);
                put(producer, last, asid);
            }
            producer.publish();
            // stalled: nothing runs the engine; the waiter gets its typed timeout after exactly the bound
            assertEquals(IssueStatus.TIMEOUT, producer.awaitConsumed(last));
            assertEquals(TIMEOUT_NS / STEP_NS, time.idles, "back-offs until the bound");
            assertTrue(record.asids.isEmpty());
            // stalled again, "forever" as far as this waiter can tell: the same bound, the producer still usable
            time.idles = 0;
            assertEquals(IssueStatus.TIMEOUT, producer.awaitConsumed(last));
            assertEquals(TIMEOUT_NS / STEP_NS, time.idles);
            // the stall ends: every command executed once, in order
            runEngine(smmu, 4);
            assertEquals(IssueStatus.OK, producer.awaitConsumed(last));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), record.asids);
            // traffic resumes
            final int next = producer.claim(1);
            put(producer, next, 99);
            producer.publish();
            runEngine(smmu, 1);
            assertEquals(IssueStatus.OK, producer.awaitConsumed(next));
            assertEquals(99, record.asids.get(8));
            producer.close();
        }
    }

    @Test
    void aQueueFullForLongPeriodsBacksOffBoundedAndCorruptsNothing()
    {
        final AsidRecord record = new AsidRecord();
        try (PhysicalSmmu smmu = PhysicalSmmu.builder(record::execute).mainCmdqLog2Size(4).build().startInline())
        {
            final SteppedTime time = new SteppedTime();
            final SingleWriterProducer producer = new SingleWriterProducer(
                smmu.mainCmdqMemory(), smmu.mainCmdqRegisters(), null, time, TIMEOUT_NS, time);
            final List<Integer> expected = new ArrayList<>();
            int asid = 0;
            for (int round = 0; round < 5; round++)
            {
                int last = 0;
                for (int i = 0; i < producer.capacity(); i++)
                {
                    last = producer.claim(1);
                    assertTrue(last >= 0, "claim " + i + " of round " + round);
                    put(producer, last, asid);
                    expected.add(asid++);
                }
                producer.publish();
                // full, for ten bounds in a row: each claim backs off exactly to the bound, then TIMEOUT
                for (int wait = 0; wait < 10; wait++)
                {
                    time.idles = 0;
                    assertEquals(IssueStatus.TIMEOUT, producer.claim(1));
                    assertEquals(TIMEOUT_NS / STEP_NS, time.idles);
                }
                runEngine(smmu, 2);
                assertEquals(IssueStatus.OK, producer.awaitConsumed(last));
            }
            assertEquals(expected, record.asids, "every entry executed once, in order, with its own payload");
            producer.close();
        }
    }

    /** Opcode and VMID (dw0 47:32) of every command an SMMU executed, for order checks. */
    private static final class OrderRecord
    {
        final List<long[]> commands = new ArrayList<>();

        synchronized int execute(final long dword0, final long dword1)
        {
            commands.add(new long[] {dword0 & 0xFF, (dword0 >>> 32) & 0xFFFF});
            return CommandError.NONE;
        }

        synchronized List<long[]> snapshot()
        {
            return new ArrayList<>(commands);
        }
    }

    /** What the SMMU executed during the teardown of a VCMDQ VM that had 5 TLBI_NH_ASIDs in flight. */
    private record Teardown(int vmid, List<long[]> executed, int nextVmid)
    {
        int inFlightExecuted()
        {
            int n = 0;
            for (final long[] c : executed)
            {
                n += c[0] == TLBI_NH_ASID && c[1] == vmid ? 1 : 0;
            }
            return n;
        }

        int vmall()
        {
            for (int i = 0; i < executed.size(); i++)
            {
                if (executed.get(i)[0] == 0x28 && executed.get(i)[1] == vmid)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    private static Teardown teardownWithCommandsInFlight()
    {
        final OrderRecord[] records = {new OrderRecord(), new OrderRecord()};
        try (Platform platform = Platform.builder().smmus(2).engineMode(EngineMode.INLINE)
            .execution(i -> records[i]::execute).build())
        {
            final Vm vm = platform.createVm(VmConfig.of("victim", GuestPath.VCMDQ, 2));
            vm.attach(0x10, platform.bindDevice(0, 0x400));
            final int vmid = vm.vmidOn(0);
            final UnsafeBuffer commands = new UnsafeBuffer(new byte[16 * 5]);
            for (int i = 0; i < 5; i++)
            {
                commands.putLong(16 * i, TLBI_NH_ASID | (long)(i + 1) << 48, ByteOrder.LITTLE_ENDIAN);
                commands.putLong(16 * i + 8, 0, ByteOrder.LITTLE_ENDIAN);
            }
            // published, not waited for: in flight when the teardown starts (inline: no engine ran since)
            assertEquals(IssueStatus.OK, vm.issue(0, 1, commands, 0, 5, false));
            final int queue = vm.smmu(0).guest().vcpu(1).queue();
            final dev.cmdq.queue.QueueRegisters registers = vm.queueRegisters(0, queue);
            assertEquals(5, (registers.getProdAcquire() - registers.getConsAcquire()) & 0x1FF, "5 entries between CONS and PROD");
            final int before = records[0].snapshot().size();
            vm.close();
            final List<long[]> all = records[0].snapshot();
            final List<long[]> during = new ArrayList<>(all.subList(before, all.size()));
            final Vm next = platform.createVm(VmConfig.of("next", GuestPath.VCMDQ, 2));
            next.attach(0x10, platform.bindDevice(0, 0x401));
            return new Teardown(vmid, during, next.vmidOn(0));
        }
    }

    @Test
    void vmTeardownInvalidatesTheVmidWithASyncBeforeItIsReused()
    {
        final Teardown t = teardownWithCommandsInFlight();
        final int vmall = t.vmall();
        assertTrue(vmall >= 0, "TLBI_S12_VMALL for VMID " + t.vmid() + " issued at teardown");
        boolean syncAfter = false;
        for (int i = vmall + 1; i < t.executed().size(); i++)
        {
            syncAfter |= t.executed().get(i)[0] == 0x46;
            assertFalse(t.executed().get(i)[0] == TLBI_NH_ASID && t.executed().get(i)[1] == t.vmid(),
                "a command of the VM ran after its VMID-wide invalidation");
        }
        assertTrue(syncAfter, "the VMID-wide invalidation is followed by a CMD_SYNC");
        // only then is the VMID free: the next VM on this SMMU gets the lowest free one, this one
        assertEquals(t.vmid(), t.nextVmid());
    }

    /**
     * The brief's order: a VM's queues are drained (completed) or, past a bound, reset with their pending
     * commands reported — before the VMID-wide invalidation. The host's HW-queue destroy now waits
     * (bounded) for the queue to drain before it disables it; before that fix the 5 published
     * TLBI_NH_ASIDs were never executed and nothing reported them.
     */
    @Test
    void vmTeardownDrainsTheCommandsInFlightBeforeTheVmidInvalidation()
    {
        final Teardown t = teardownWithCommandsInFlight();
        assertEquals(5, t.inFlightExecuted(), "the in-flight commands were drained (executed) by the teardown");
    }

    /**
     * A guest on the trapped path forwards a TLBI_NH_VA with the reserved range encoding (TG = 4K,
     * NUM = SCALE = TTL = 0, linux-unmap-sequences.md §3.2): the kernel checks only opcode and SID
     * (vcmdq-viommu.md §3.7), the host's main CMDQ halts on it with CERROR_ILL. Linux's GERROR handler
     * skips it (smmuv3-cmdq.md §1.4-1.5) and so does the host model's ({@code MainCmdqGerrorHandler}, on the
     * SMMU's GERROR interrupt); without it the main CMDQ stayed halted and every later host wait of every
     * VM on that SMMU timed out (the fuzzer, which builds its host without the hardware context, connects
     * the same handler itself).
     */
    @Test
    void aForwardedCommandTheMainCmdqRefusesDoesNotWedgeTheHostForOtherVms()
    {
        try (Platform platform = Platform.builder().smmus(1).engineMode(EngineMode.INLINE).build())
        {
            final Vm bad = platform.createVm(VmConfig.of("bad", GuestPath.TRAPPED_PER_COMMAND, 1));
            bad.attach(0x10, platform.bindDevice(0, 0x400));
            final Vm good = platform.createVm(VmConfig.of("good", GuestPath.TRAPPED_PER_COMMAND, 1));
            good.attach(0x10, platform.bindDevice(0, 0x401));
            final UnsafeBuffer command = new UnsafeBuffer(new byte[16]);
            command.putLong(0, 0x0001_0000_0000_0012L, ByteOrder.LITTLE_ENDIAN); // TLBI_NH_VA asid 1
            command.putLong(8, 0x1400, ByteOrder.LITTLE_ENDIAN);                  // TG = 4K, ADDR 0x1000
            bad.issueTrapped(0, command, 0, 1, true);
            command.putLong(0, TLBI_NH_ASID | 1L << 48, ByteOrder.LITTLE_ENDIAN);
            command.putLong(8, 0, ByteOrder.LITTLE_ENDIAN);
            assertEquals(IssueStatus.name(IssueStatus.OK), IssueStatus.name(good.issueTrapped(0, command, 0, 1, true)));
        }
    }

    @Test
    void aDispatcherClosedUnderLoadReleasesEveryRequesterWithATypedError() throws InterruptedException
    {
        try (PhysicalSmmu smmu = PhysicalSmmu.builder((d0, d1) -> CommandError.NONE).mainCmdqLog2Size(8).build().startThreaded())
        {
            final DispatchIssuer issuer = new DispatchIssuer(smmu.mainCmdqMemory(), smmu.mainCmdqRegisters(), CmdSyncCompletion.LINUX,
                CompletionWait.WRITE_BACK, new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, WaitPolicy::defaultIdle, SystemNanoClock.INSTANCE),
                DispatchMode.WRITER_THREAD);
            final int requesters = 4;
            final CountDownLatch loaded = new CountDownLatch(requesters);
            final AtomicInteger[] last = new AtomicInteger[requesters];
            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread[] threads = new Thread[requesters];
            for (int r = 0; r < requesters; r++)
            {
                final AtomicInteger status = last[r] = new AtomicInteger(Integer.MIN_VALUE);
                threads[r] = new Thread(() ->
                {
                    final UnsafeBuffer command = new UnsafeBuffer(new byte[16]);
                    command.putLong(0, TLBI_NH_ASID, ByteOrder.LITTLE_ENDIAN);
                    try
                    {
                        for (int n = 0; ; n++)
                        {
                            final int s = issuer.issue(command, 0, 1, true);
                            if (n == 20)
                            {
                                loaded.countDown();
                            }
                            if (s != IssueStatus.OK)
                            {
                                status.set(s);
                                return;
                            }
                        }
                    }
                    catch (final Throwable t)
                    {
                        thrown.compareAndSet(null, t);
                        loaded.countDown();
                    }
                }, "requester-" + r);
                threads[r].start();
            }
            assertTrue(loaded.await(30, TimeUnit.SECONDS), "every requester issued under load");
            issuer.close();
            for (int r = 0; r < requesters; r++)
            {
                threads[r].join(TimeUnit.SECONDS.toMillis(10));
                assertFalse(threads[r].isAlive(), threads[r].getName() + " released");
                assertEquals(IssueStatus.name(IssueStatus.CLOSED), IssueStatus.name(last[r].get()), threads[r].getName());
            }
            assertNull(thrown.get());
            final UnsafeBuffer late = new UnsafeBuffer(new byte[16]);
            assertEquals(IssueStatus.CLOSED, issuer.issue(late, 0, 1, true), "a call after close is refused, typed");
        }
    }
}
