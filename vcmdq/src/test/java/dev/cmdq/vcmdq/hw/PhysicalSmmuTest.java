package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.GuestMemory;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The two modes of the one engine: inline (nothing moves until a duty cycle is run on the caller's
 * thread; a busy engine is not entered twice) and threaded (an agent thread consumes on its own), the
 * configuration defaults and checks, and an engine exception being counted, not lost.
 */
class PhysicalSmmuTest
{
    @Test
    void inlineModeMovesOnlyWhenADutyCycleRuns()
    {
        try (HwRig rig = new HwRig())
        {
            rig.main.push(0x11, 0);
            // Counted, not timed: every duty cycle the engine ran is one this test called.
            assertEquals(0, rig.smmu.engine().dutyCycles(), "inline: no hidden thread runs the engine");
            assertEquals(0, rig.main.cons(), "inline: no hidden thread consumes");
            assertTrue(rig.smmu.dutyCycle() > 0);
            assertEquals(1, rig.main.cons());
            assertEquals(0, rig.smmu.dutyCycle(), "idle");
            assertEquals(2, rig.smmu.engine().dutyCycles(), "exactly the two cycles this thread ran");
        }
    }

    @Test
    void threadedModeConsumesEveryQueueOnTheAgentThread() throws InterruptedException
    {
        final RecordingExecution exec = new RecordingExecution();
        final GuestMemory guest = GuestMemory.allocate(HwRig.GUEST_BASE, 1 << 16);
        try (PhysicalSmmu smmu = PhysicalSmmu.builder(exec).smmuId(3).build())
        {
            final Cmdqv cmdqv = smmu.cmdqv();
            cmdqv.writeConfig(1);
            cmdqv.writeVintfConfig(1, CmdqvLayout.vintfConfig(9, false, true));
            final int q = cmdqv.globalIndex(1, 0);
            cmdqv.writeCmdqAlloc(q, CmdqvLayout.cmdqAlloc(1, 0, true));
            final Vcmdq vcmdq = cmdqv.vcmdq(q);
            vcmdq.attachMemory(guest);
            vcmdq.writeBase(VcmdqLayout.base(HwRig.GUEST_BASE, 5));
            vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
            smmu.startThreaded(new BackoffIdleStrategy(10, 10, 1_000, 100_000));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!vcmdq.isEnabled() && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertTrue(vcmdq.isEnabled(), "the agent thread followed CONFIG.CMDQ_EN");

            final TestRing main = new TestRing(smmu.mainCmdqMemory().buffer(), 0, smmu.mainCmdqRegisters(), 8);
            final TestRing ring = new TestRing(guest.buffer(), 0, vcmdq.registers(), 5);
            final int n = 1000;
            for (int i = 0; i < n; i++)
            {
                main.push(0x11 | ((long)(0x1000 | i) << 48), 0);
                ring.push(0x11 | ((long)(0x2000 | i) << 48), 0);
                while ((((main.prod - main.cons()) & 0x1FF) >= 200 || ((ring.prod - ring.cons()) & 0x3F) >= 30) &&
                    System.nanoTime() < deadline)
                {
                    Thread.yield();
                }
            }
            while ((!main.drained() || !ring.drained()) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertTrue(main.drained() && ring.drained(), "drained within the bound");
            // CONS (acquire) was released after the executions: the records are visible here.
            assertEquals(2 * n, exec.count);
            final int[] next = {0, 0};
            for (int i = 0; i < 2 * n; i++)
            {
                final int queue = (exec.asid(i) >>> 12) - 1;
                assertEquals(next[queue]++, exec.asid(i) & 0xFFF, "record " + i);
            }
            assertEquals(0, smmu.engineErrors());
        }
    }

    @Test
    void aBusyEngineIsNotEnteredFromASecondThread() throws InterruptedException
    {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final CommandExecution slow = (d0, d1) ->
        {
            final int now = inside.incrementAndGet();
            maxInside.accumulateAndGet(now, Math::max);
            LockSupport.parkNanos(100_000);
            inside.decrementAndGet();
            return 0;
        };
        try (PhysicalSmmu smmu = PhysicalSmmu.builder(slow).build().startInline())
        {
            final TestRing main = new TestRing(smmu.mainCmdqMemory().buffer(), 0, smmu.mainCmdqRegisters(), 8);
            for (int i = 0; i < 200; i++)
            {
                main.put(0x11, 0);
            }
            main.publish();
            final Runnable driver = () ->
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!main.drained() && System.nanoTime() < deadline)
                {
                    smmu.dutyCycle();
                }
            };
            final Thread a = new Thread(driver);
            final Thread b = new Thread(driver);
            a.start();
            b.start();
            a.join();
            b.join();
            assertTrue(main.drained());
            assertEquals(1, maxInside.get(), "never two threads inside the engine");
        }
    }

    @Test
    void anEngineExceptionIsCountedAndTheEntryRetried()
    {
        final int[] calls = {0};
        final CommandExecution throwsOnce = (d0, d1) ->
        {
            if (calls[0]++ == 0)
            {
                throw new IllegalStateException("cache model bug");
            }
            return 0;
        };
        try (PhysicalSmmu smmu = PhysicalSmmu.builder(throwsOnce).build().startInline())
        {
            final TestRing main = new TestRing(smmu.mainCmdqMemory().buffer(), 0, smmu.mainCmdqRegisters(), 8);
            main.push(0x11, 0);
            smmu.dutyCycle();
            assertEquals(1, smmu.engineErrors());
            assertEquals("cache model bug", smmu.lastEngineError().getMessage());
            assertEquals(0, main.cons());
            smmu.dutyCycle();
            assertEquals(1, main.cons());
        }
    }

    @Test
    void modesAreExclusiveAndChecked()
    {
        try (PhysicalSmmu smmu = PhysicalSmmu.builder((d0, d1) -> 0).build())
        {
            assertThrows(IllegalStateException.class, smmu::dutyCycle, "not inline");
            smmu.startInline();
            assertThrows(IllegalStateException.class, smmu::startInline);
            assertThrows(IllegalStateException.class, smmu::startThreaded);
        }
        // Closing an SMMU that never started is allowed, and close is idempotent.
        final PhysicalSmmu unused = PhysicalSmmu.builder((d0, d1) -> 0).build();
        unused.close();
        unused.close();
    }

    @Test
    void builderDefaultsAndChecks()
    {
        try (PhysicalSmmu smmu = PhysicalSmmu.builder((d0, d1) -> 0).build())
        {
            assertEquals(0, smmu.smmuId());
            assertEquals(8, smmu.mainCmdqMemory().log2Size());
            assertEquals(4, smmu.cmdqv().numVintfs());
            assertEquals(8, smmu.cmdqv().numVcmdqs());
            assertEquals(19, smmu.maxQueueLog2Size());
            assertEquals(HardwarePolicy.DEFAULT, smmu.policy());
            assertEquals(HardwarePolicy.DEFAULT.describe(), smmu.describe());
        }
        assertThrows(NullPointerException.class, () -> PhysicalSmmu.builder(null));
        assertThrows(IllegalArgumentException.class, () -> PhysicalSmmu.builder((d0, d1) -> 0).smmuId(-1));
        assertThrows(IllegalArgumentException.class, () -> PhysicalSmmu.builder((d0, d1) -> 0).mainCmdqLog2Size(20));
        assertThrows(IllegalArgumentException.class, () -> PhysicalSmmu.builder((d0, d1) -> 0).maxQueueLog2Size(0));
    }
}
