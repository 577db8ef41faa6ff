package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.SteppingNanoClock;
import dev.cmdq.smmu.CmdSyncCompletion;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Queue choice (vCPU c on VCMDQ c % N; every vCPU on the one emulated CMDQ), the per-vCPU counters, the
 * CMD_SYNC form per queue kind, failures and bad arguments. Devices run inline whenever a vCPU waits.
 */
class GuestSmmuTest
{
    private static final long BASE = 0x1_0000_0000L;
    private static final int LOG2_SIZE = 8;
    private static final int RING_BYTES = (1 << LOG2_SIZE) * 16;

    private final GuestMemory memory = GuestMemory.allocate(BASE, 2 * RING_BYTES);
    private final long[] gpas = {BASE, BASE + RING_BYTES};
    private final MappedQueueRegisters[] registers = {MappedQueueRegisters.allocate(), MappedQueueRegisters.allocate()};
    private final List<List<String>> consumed = List.of(new ArrayList<>(), new ArrayList<>());
    private final QueueConsumer[] devices = new QueueConsumer[2];
    private boolean devicesRun = true;

    private final IdleStrategy runDevices = new IdleStrategy()
    {
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
            if (devicesRun)
            {
                devices[0].doWork();
                devices[1].doWork();
            }
        }

        @Override
        public void reset()
        {
        }
    };

    private void devices(final CmdSyncCompletion completion)
    {
        for (int q = 0; q < 2; q++)
        {
            final List<String> log = consumed.get(q);
            devices[q] = new QueueConsumer(memory.ring(gpas[q], LOG2_SIZE), registers[q], (buffer, offset, cons) ->
            {
                log.add(String.format("%016x:%016x",
                    buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN)));
                return CommandError.NONE;
            }, completion);
        }
    }

    private WaitPolicy inlineWait()
    {
        return new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> runDevices, SystemNanoClock.INSTANCE);
    }

    @AfterEach
    void close()
    {
        for (int q = 0; q < 2; q++)
        {
            if (devices[q] != null)
            {
                devices[q].close();
            }
            registers[q].close();
        }
    }

    private static UnmapRequest pages(final int asid, final long iova, final int pages)
    {
        return new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).iova(iova).size(pages * 0x1000L).granule(0x1000)
            .leaf(true).pageSize(0x1000).asid(asid);
    }

    @Test
    void vcpuCUsesVcmdqCModN()
    {
        devices(CmdSyncCompletion.BUSY_POLL);
        try (GuestSmmu smmu = GuestSmmu.vcmdqs(memory, gpas, LOG2_SIZE, registers, 5, false, inlineWait()))
        {
            assertTrue(smmu.usesVcmdqs());
            assertEquals(2, smmu.queueCount());
            assertEquals(5, smmu.vcpuCount());
            for (int c = 0; c < 5; c++)
            {
                assertEquals(c % 2, smmu.vcpu(c).queue());
                assertEquals(IssueStatus.OK, smmu.unmap(c, pages(c + 1, 0x1000L * c, 1)));
            }
        }
        // vCPUs 0, 2, 4 on VCMDQ 0 and 1, 3 on VCMDQ 1, each TLBI followed by a CS=NONE sync.
        final String sync = "000000000fc00046:0000000000000000";
        assertEquals(List.of("0001000000000012:0000000000000001", sync, "0003000000000012:0000000000002001", sync,
            "0005000000000012:0000000000004001", sync), consumed.get(0));
        assertEquals(List.of("0002000000000012:0000000000001001", sync, "0004000000000012:0000000000003001", sync),
            consumed.get(1));
    }

    @Test
    void everyVcpuSharesTheEmulatedCmdq()
    {
        devices(CmdSyncCompletion.LINUX);
        try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, registers[0], 3, false, inlineWait()))
        {
            assertFalse(smmu.usesVcmdqs());
            assertEquals(1, smmu.queueCount());
            for (int c = 0; c < 3; c++)
            {
                assertEquals(0, smmu.vcpu(c).queue());
                assertEquals(IssueStatus.OK, smmu.unmap(c, pages(c + 1, 0, 1)));
            }
        }
        final String sync = "000000000fc02046:0000000000000000";
        assertEquals(List.of("0001000000000012:0000000000000001", sync, "0002000000000012:0000000000000001", sync,
            "0003000000000012:0000000000000001", sync), consumed.get(0));
        assertEquals(List.of(), consumed.get(1));
    }

    @Test
    void countersSayHowManyCommandsSyncsAndInsertionsEachVcpuTook()
    {
        devices(CmdSyncCompletion.LINUX);
        try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, registers[0], 2, true, inlineWait()))
        {
            // 129 pages with FORCE_SYNC: 63+S / 63+S / 3+S.
            assertEquals(IssueStatus.OK, smmu.unmap(1, pages(9, 0x10_0000, 129)));
            // Then a context flush with ATS: 1+S, then ATC_INV 1+S.
            assertEquals(IssueStatus.OK, smmu.unmap(1,
                new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(9).ats(true).sid(5)));
            final GuestVcpu vcpu = smmu.vcpu(1);
            assertEquals(131, vcpu.commands());
            assertEquals(5, vcpu.syncs());
            assertEquals(5, vcpu.insertions());
            assertEquals(0, vcpu.failures());
            assertEquals(0, smmu.vcpu(0).insertions());
        }
        assertEquals(136, consumed.get(0).size());
    }

    @Test
    void aCompletionTimeoutIsReportedAndTheBatchStartsEmptyNextTime()
    {
        devices(CmdSyncCompletion.LINUX);
        devicesRun = false;
        // The device never runs while the clock steps 1 ms per read: the 1 s bound runs out without real time.
        final WaitPolicy wait = new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> runDevices, new SteppingNanoClock(1_000_000));
        try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, registers[0], 1, false, wait))
        {
            assertEquals(IssueStatus.TIMEOUT, smmu.unmap(0, pages(1, 0, 70)));
            assertEquals(1, smmu.vcpu(0).failures());
            // The first 64 went in without a sync; the 6 + sync insertion timed out waiting (it was inserted).
            assertEquals(1, smmu.vcpu(0).insertions());
            devicesRun = true;
            assertEquals(IssueStatus.OK, smmu.unmap(0, pages(2, 0x100_0000, 1)));
        }
        // 64 + 6 + S from the timed-out request, then exactly the next request's TLBI + S (no leftovers).
        final List<String> log = consumed.get(0);
        assertEquals(73, log.size());
        assertEquals("0002000000000012:0000000001000001", log.get(71));
    }

    @Test
    void onTheTrappedPathEveryConsPollIsARegisterAccess()
    {
        devices(CmdSyncCompletion.LINUX);
        final TrapCountingRegisters trapped = new TrapCountingRegisters(registers[0]);
        // The device runs only on every fifth idle, so the vCPU polls CONS several times per sync.
        final int[] idles = new int[1];
        final IdleStrategy slowDevice = new IdleStrategy()
        {
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
                if (++idles[0] % 5 == 0)
                {
                    devices[0].doWork();
                }
            }

            @Override
            public void reset()
            {
            }
        };
        final WaitPolicy wait = new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> slowDevice, SystemNanoClock.INSTANCE);
        try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, trapped, 1, false, wait))
        {
            final long consAtStart = trapped.consReads;
            assertEquals(IssueStatus.OK, smmu.unmap(0, pages(1, 0, 100)));
            // 64 then 36+S: two PROD writes, and at least one CONS read per idle of the sync wait.
            assertEquals(2, trapped.prodWrites);
            assertTrue(trapped.consReads - consAtStart >= idles[0], trapped.consReads + " CONS reads, " + idles[0] + " idles");
            assertTrue(idles[0] >= 5);
        }
        assertEquals(101, consumed.get(0).size());
    }

    /** The guest's side of an emulated CMDQ: every access would be an exit; this counts them. */
    private static final class TrapCountingRegisters implements dev.cmdq.queue.QueueRegisters
    {
        private final MappedQueueRegisters device;
        private long prodWrites;
        private long consReads;

        TrapCountingRegisters(final MappedQueueRegisters device)
        {
            this.device = device;
        }

        @Override
        public int getProdAcquire()
        {
            return device.getProdAcquire();
        }

        @Override
        public void putProdRelease(final int value)
        {
            prodWrites++;
            device.putProdRelease(value);
        }

        @Override
        public int getConsAcquire()
        {
            consReads++;
            return device.getConsAcquire();
        }

        @Override
        public void putConsRelease(final int value)
        {
            device.putConsRelease(value);
        }

        @Override
        public int getGerrorAcquire()
        {
            return device.getGerrorAcquire();
        }

        @Override
        public void putGerrorRelease(final int value)
        {
            device.putGerrorRelease(value);
        }

        @Override
        public int getGerrornAcquire()
        {
            return device.getGerrornAcquire();
        }

        @Override
        public void putGerrornRelease(final int value)
        {
            device.putGerrornRelease(value);
        }
    }

    @Test
    void aBadRequestIssuesNothing()
    {
        devices(CmdSyncCompletion.LINUX);
        try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, registers[0], 1, false, inlineWait()))
        {
            final UnmapRequest bad = pages(1, 0, 1).rangeInvalidation(true).size(0x1800);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> smmu.unmap(0, bad));
            assertTrue(ex.getMessage().contains("size=0x1800"), ex.getMessage());
            assertEquals(0, registers[0].getProdAcquire());
            assertEquals(0, smmu.vcpu(0).insertions());
        }
    }

    @Test
    void badArgumentsAreNamed()
    {
        final WaitPolicy wait = inlineWait();
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () ->
        {
            try (GuestSmmu smmu = GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, registers[0], 2, false, wait))
            {
                smmu.unmap(2, pages(1, 0, 1));
            }
        }).getMessage().contains("vcpu=2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () ->
            GuestSmmu.emulatedCmdq(memory, gpas[0], LOG2_SIZE, registers[0], 0, false, wait)).getMessage().contains("vcpuCount=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () ->
            GuestSmmu.vcmdqs(memory, gpas, LOG2_SIZE, new MappedQueueRegisters[]{registers[0]}, 1, false, wait))
            .getMessage().contains("ringGpas.length=2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () ->
            GuestSmmu.emulatedCmdq(memory, BASE + 2 * RING_BYTES, LOG2_SIZE, registers[0], 1, false, wait))
            .getMessage().contains("gpa=0x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () ->
            GuestSmmu.emulatedCmdq(memory, gpas[0], 6, registers[0], 1, false, wait)).getMessage().contains("log2Size"));
    }
}
