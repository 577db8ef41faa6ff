package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.smmu.validate.ReservedBits;
import dev.cmdq.queue.GuestMemory;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's arbitration (no queue starves another, the turn order the policy names), in-order
 * execution per queue, and a warm duty cycle allocating nothing. Queues are told apart by the ASID of
 * the TLBI_NH_ASID commands they carry: {@code queue << 12 | sequence}.
 */
class SmmuEngineTest
{
    private static final long TLBI_NH_ASID = 0x11;
    private static final int MAIN = 0;
    /** Tags of VINTF 1's two queues (global VCMDQs 2 and 3). */
    private static final int Q2 = 2;
    private static final int Q3 = 3;

    private static long tlbi(final int queue, final int seq)
    {
        return TLBI_NH_ASID | ((long)((queue << 12) | seq) << 48);
    }

    private static int queueOf(final RecordingExecution exec, final int i)
    {
        return exec.asid(i) >>> 12;
    }

    private static int seqOf(final RecordingExecution exec, final int i)
    {
        return exec.asid(i) & 0xFFF;
    }

    private static HardwarePolicy policy(final int quantum, final boolean rotate)
    {
        return new HardwarePolicy(quantum, rotate, 4, 4, ReservedBits.IGNORED);
    }

    @Test
    void aFloodedMainCmdqDoesNotStarveTheVcmdqs()
    {
        try (HwRig rig = new HwRig(policy(4, false)))
        {
            rig.vintf(1, 7, false);
            final TestRing q2 = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 8);
            final TestRing q3 = rig.vcmdq(1, 1, HwRig.GUEST_BASE + 0x1000, 8);
            for (int i = 0; i < 200; i++)
            {
                rig.main.put(tlbi(MAIN, i), 0);
            }
            rig.main.publish();
            for (int i = 0; i < 3; i++)
            {
                q2.push(tlbi(Q2, i), 0);
            }
            for (int i = 0; i < 5; i++)
            {
                q3.push(tlbi(Q3, i), 0);
            }

            rig.smmu.dutyCycle();
            // One turn each, quantum 4, order main, VCMDQ 0..7: 4 main, then all 3 of q2, then 4 of q3.
            final int[] expected = {MAIN, MAIN, MAIN, MAIN, Q2, Q2, Q2, Q3, Q3, Q3, Q3};
            assertEquals(expected.length, rig.exec.count);
            for (int i = 0; i < expected.length; i++)
            {
                assertEquals(expected[i], queueOf(rig.exec, i), "record " + i);
            }
            rig.smmu.dutyCycle();
            assertEquals(expected.length + 5, rig.exec.count, "second cycle: 4 main + the last of q3");
            assertEquals(Q3, queueOf(rig.exec, 15));
            assertTrue(q2.drained() && q3.drained());
        }
    }

    @Test
    void everyNonEmptyQueueGetsOneQuantumPerDutyCycle()
    {
        try (HwRig rig = new HwRig(policy(4, true)))
        {
            rig.vintf(1, 7, false);
            final TestRing q2 = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 8);
            final TestRing q3 = rig.vcmdq(1, 1, HwRig.GUEST_BASE + 0x1000, 8);
            final TestRing[] rings = {rig.main, q2, q3};
            final int[] tags = {MAIN, Q2, Q3};
            for (int r = 0; r < rings.length; r++)
            {
                for (int i = 0; i < 100; i++)
                {
                    rings[r].put(tlbi(tags[r], i), 0);
                }
                rings[r].publish();
            }
            for (int cycle = 1; cycle <= 25; cycle++)
            {
                rig.smmu.dutyCycle();
                for (final TestRing ring : rings)
                {
                    assertEquals(4 * cycle, ring.cons(), "after duty cycle " + cycle);
                }
            }
            assertEquals(300, rig.exec.count);
        }
    }

    @Test
    void theTurnOrderStartsOneQueueLaterEachDutyCycle()
    {
        try (HwRig rig = new HwRig(policy(1, true)))
        {
            rig.vintf(1, 7, false);
            final TestRing q2 = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 8);
            final TestRing q3 = rig.vcmdq(1, 1, HwRig.GUEST_BASE + 0x1000, 8);
            for (int i = 0; i < 20; i++)
            {
                rig.main.put(tlbi(MAIN, i), 0);
                q2.put(tlbi(Q2, i), 0);
                q3.put(tlbi(Q3, i), 0);
            }
            rig.main.publish();
            q2.publish();
            q3.publish();
            // The enable cycle of vcmdq() already advanced the start twice (two duty cycles): count them.
            final long before = rig.smmu.engine().dutyCycles();
            assertEquals(2, before);
            // Nine turn positions (main, VCMDQ 0..7); cycle k starts at position k mod 9. Typed by hand from
            // that rule: positions 3 (q2) and 4 (q3) are the only enabled VCMDQs.
            final int[][] expected = {
                {Q2, Q3, MAIN},    // cycle 2: start VCMDQ 1
                {Q2, Q3, MAIN},    // cycle 3: start VCMDQ 2
                {Q3, MAIN, Q2},    // cycle 4: start VCMDQ 3
                {MAIN, Q2, Q3},    // cycle 5: start VCMDQ 4
                {MAIN, Q2, Q3},    // cycle 6
                {MAIN, Q2, Q3},    // cycle 7
                {MAIN, Q2, Q3},    // cycle 8: start VCMDQ 7
                {MAIN, Q2, Q3},    // cycle 9: start main
                {Q2, Q3, MAIN},    // cycle 10: start VCMDQ 0
            };
            for (int c = 0; c < expected.length; c++)
            {
                rig.smmu.dutyCycle();
                final int[] got = new int[3];
                for (int i = 0; i < 3; i++)
                {
                    got[i] = queueOf(rig.exec, 3 * c + i);
                }
                assertArrayEquals(expected[c], got, "duty cycle " + (before + c));
            }
        }
    }

    @Test
    void entriesOfEachQueueExecuteInQueueOrderWhateverTheInterleaving()
    {
        try (HwRig rig = new HwRig(policy(3, true)))
        {
            rig.vintf(1, 7, false);
            rig.vintf(2, 8, false);
            final TestRing[] rings = {
                rig.main,
                rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4),
                rig.vcmdq(2, 1, HwRig.GUEST_BASE + 0x1000, 5),
            };
            final int[] tags = {MAIN, Q2, 5};
            final int[] pushed = new int[3];
            final int total = 3000;
            final SplittableRandom random = new SplittableRandom(Long.getLong("cmdq.stress.seed", 20261123L));
            int sent = 0;
            while (sent < total || rig.exec.count < total)
            {
                final int r = random.nextInt(4);
                if (r < 3 && sent < total)
                {
                    final TestRing ring = rings[r];
                    final int capacity = 1 << ring.log2Size;
                    final int inFlight = (ring.prod - ring.cons()) & ((capacity << 1) - 1);
                    if (inFlight < capacity)
                    {
                        ring.push(tlbi(tags[r], pushed[r]++ & 0xFFF), 0);
                        sent++;
                    }
                }
                else
                {
                    rig.smmu.dutyCycle();
                }
            }
            final int[] next = new int[16];
            for (int i = 0; i < total; i++)
            {
                final int q = queueOf(rig.exec, i);
                assertEquals(next[q]++ & 0xFFF, seqOf(rig.exec, i), "record " + i + " of queue tag " + q);
            }
            for (int r = 0; r < 3; r++)
            {
                assertEquals(pushed[r], next[tags[r]], "every entry of queue " + tags[r] + " executed");
            }
        }
    }

    @Test
    void aWarmDutyCycleAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported());
        try (HwRig rig = new HwRig())
        {
            rig.vintf(1, 7, false);
            rig.cmdqv.programSidSlot(1, 3, 0x21, 0x4321);
            final TestRing guest = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 6);
            final long mainBase = rig.smmu.mainCmdqMemory().deviceAddress();
            final Runnable block = () ->
            {
                for (int round = 0; round < 2_000; round++)
                {
                    for (int i = 0; i < 6; i++)
                    {
                        rig.main.put(tlbi(MAIN, i), 0);
                        guest.put(tlbi(Q2, i), 0);
                    }
                    guest.put(0x40 | (0x21L << 32), 0x3F000L);
                    guest.put(0x46, 0);
                    // CS=IRQ, MSI write-back into the sync's own slot (Linux's MSI polling).
                    rig.main.put(0x46 | (1L << 12), mainBase + rig.main.slotOffset(rig.main.prod));
                    rig.main.publish();
                    guest.publish();
                    while (!rig.main.drained() || !guest.drained())
                    {
                        rig.smmu.dutyCycle();
                    }
                }
            };
            final long bytes = AllocationProbe.bytesOnceWarm(block, 100, 3);
            assertEquals(0, bytes, "bytes allocated by 3 x 2000 warm rounds of the engine");
            assertEquals(0, rig.smmu.engineErrors());
            assertTrue(rig.exec.count >= 6 * 15 * 2_000, "the loop really executed: " + rig.exec.count);
            assertEquals(0, rig.smmu.engine().mainConsumer().writeBackAborts());
        }
    }

    @Test
    void aWarmHaltRepairAndResumeCycleAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported());
        try (HwRig rig = new HwRig())
        {
            rig.vintf(1, 7, false);
            final int[] interrupts = new int[1];
            rig.cmdqv.errorListener((vintf, lvcmdq, vcmdq) -> interrupts[0]++);
            final TestRing guest = rig.vcmdq(1, 0, HwRig.GUEST_BASE, 4);
            final Runnable block = () ->
            {
                for (int round = 0; round < 2_000; round++)
                {
                    guest.put(tlbi(Q2, 1), 0);
                    final int bad = guest.prod;
                    guest.put(0x10, 0);                    // forbidden on a guest queue: halts here
                    guest.put(tlbi(Q2, 2), 0).publish();
                    rig.smmu.dutyCycle();
                    // The guest's ISR: patch the slot with a CMD_SYNC (CS=NONE), acknowledge.
                    guest.buffer.putLong(guest.slotOffset(bad), 0x46, java.nio.ByteOrder.LITTLE_ENDIAN);
                    guest.acknowledge();
                    while (!guest.drained())
                    {
                        rig.smmu.dutyCycle();
                    }
                }
            };
            final long bytes = AllocationProbe.bytesOnceWarm(block, 100, 3);
            assertEquals(0, bytes, "bytes allocated by 3 x 2000 warm halt/repair/resume rounds");
            assertTrue(interrupts[0] >= 6 * 2_000, "every round halted: " + interrupts[0]);
            assertEquals(0, rig.cmdqv.cmdqErrMap(0), "and every halt was acknowledged");
        }
    }

    /**
     * Threaded engine, one producer thread per queue (the main CMDQ and a guest VCMDQ), every entry
     * tagged with its queue and a sequence number: all arrive, each queue's in order, with the VINTF's
     * VMID substituted on the guest's. Producers and the engine back off, so the three threads share two
     * cores.
     */
    @Test
    @Tag("stress")
    void threadedEngineWithConcurrentProducersLosesAndReordersNothing() throws InterruptedException
    {
        final int perQueue = Math.max(1_000, Integer.getInteger("cmdq.stress.ops", 1_000_000) / 20);
        final GuestMemory guest = GuestMemory.allocate(HwRig.GUEST_BASE, 1 << 16);
        final long[] sums = new long[2];
        final int[] next = new int[2];
        final int[] disorder = new int[1];
        final int[] wrongVmid = new int[1];
        final CommandExecution check = (d0, d1) ->
        {
            final int q = (int)(d1 >>> 32);
            final int seq = (int)d1;
            if (seq != next[q]++)
            {
                disorder[0]++;
            }
            if (q == 1 && ((d0 >>> 32) & 0xFFFF) != 9)
            {
                wrongVmid[0]++;
            }
            sums[q] += seq;
            return 0;
        };
        try (PhysicalSmmu smmu = PhysicalSmmu.builder(check).build())
        {
            final Cmdqv cmdqv = smmu.cmdqv();
            cmdqv.writeConfig(1);
            cmdqv.writeVintfConfig(1, CmdqvLayout.vintfConfig(9, false, true));
            final int q = cmdqv.globalIndex(1, 0);
            cmdqv.writeCmdqAlloc(q, CmdqvLayout.cmdqAlloc(1, 0, true));
            final Vcmdq vcmdq = cmdqv.vcmdq(q);
            vcmdq.attachMemory(guest);
            vcmdq.writeBase(VcmdqLayout.base(HwRig.GUEST_BASE, 6));
            vcmdq.writeConfig(VcmdqLayout.CMDQ_EN);
            smmu.startThreaded(new BackoffIdleStrategy(10, 10, 1_000, 50_000));
            final TestRing[] rings = {
                new TestRing(smmu.mainCmdqMemory().buffer(), 0, smmu.mainCmdqRegisters(), 8),
                new TestRing(guest.buffer(), 0, vcmdq.registers(), 6),
            };
            final AtomicReference<String> failure = new AtomicReference<>();
            final Thread[] producers = new Thread[2];
            for (int p = 0; p < 2; p++)
            {
                final int queue = p;
                producers[p] = new Thread(() ->
                {
                    final TestRing ring = rings[queue];
                    final int capacity = 1 << ring.log2Size;
                    final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 50_000);
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    for (int i = 0; i < perQueue; i++)
                    {
                        idle.reset();
                        while (((ring.prod - ring.cons()) & ((capacity << 1) - 1)) == capacity)
                        {
                            if (System.nanoTime() > deadline)
                            {
                                failure.set("queue " + queue + " stuck at " + i);
                                return;
                            }
                            idle.idle();
                        }
                        ring.push(0x11 | (0x55L << 32), ((long)queue << 32) | i);
                    }
                }, "producer-" + p);
                producers[p].start();
            }
            for (final Thread t : producers)
            {
                t.join(TimeUnit.SECONDS.toMillis(90));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((!rings[0].drained() || !rings[1].drained()) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertEquals(null, failure.get());
            assertTrue(rings[0].drained() && rings[1].drained(), "both queues drained");
        }
        // The engine thread has stopped (close joined it): its counters are visible here.
        final long expectedSum = (long)perQueue * (perQueue - 1) / 2;
        assertEquals(perQueue, next[0]);
        assertEquals(perQueue, next[1]);
        assertEquals(expectedSum, sums[0]);
        assertEquals(expectedSum, sums[1]);
        assertEquals(0, disorder[0]);
        assertEquals(0, wrongVmid[0]);
    }
}
