package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.queue.testkit.DeviceDrivingIdleStrategy;
import dev.cmdq.smmu.CmdSyncCompletion;
import java.util.Arrays;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A warm guest unmap loop allocates nothing: every op, both range paths, batches that flush at 64 and
 * FORCE_SYNC's 63, on an emulated CMDQ and on VCMDQs, into a ring in guest memory consumed by a device
 * on the same thread (it runs whenever the vCPU waits). Measured with the thread's allocated-bytes
 * counter; no timing.
 */
class GuestUnmapZeroAllocationTest
{
    private static final int ROUNDS_PER_RUN = 200;
    private static final int ATTEMPTS = 3;

    private long executed;

    @ParameterizedTest(name = "vcmdq={0}")
    @ValueSource(booleans = {false, true})
    void warmUnmapLoopAllocatesNothing(final boolean vcmdq)
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        final long base = 0x8000_0000L;
        final int log2Size = 8;
        final GuestMemory memory = GuestMemory.allocate(base, 4096);
        try (MappedQueueRegisters registers = MappedQueueRegisters.allocate())
        {
            final QueueConsumer device = new QueueConsumer(memory.ring(base, log2Size), registers, this::onEntry,
                vcmdq ? CmdSyncCompletion.BUSY_POLL : CmdSyncCompletion.LINUX);
            final DeviceDrivingIdleStrategy idle = new DeviceDrivingIdleStrategy(device);
            final WaitPolicy wait = new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> idle, SystemNanoClock.INSTANCE);
            final GuestSmmu smmu = vcmdq ?
                GuestSmmu.vcmdqs(memory, new long[]{base}, log2Size, new MappedQueueRegisters[]{registers}, 2, true, wait) :
                GuestSmmu.emulatedCmdq(memory, base, log2Size, registers, 2, false, wait);
            final UnmapRequest leafRange = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).iova(0x4000_0000L)
                .size(0x81000).granule(0x1000).leaf(true).pageSize(0x1000).asid(7).ats(true).sid(0x100).ssid(3);
            final UnmapRequest rangeWalk = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).iova(0x7f00_0000_1000L)
                .size(0x5555_5000L).granule(0x1000).pageSize(0x1000).rangeInvalidation(true).asid(4);
            final UnmapRequest context = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(9).vmid(1).ats(true).sid(8);
            final UnmapRequest atc = new UnmapRequest().op(UnmapOp.ATC_INV).iova(0x7fff_f000L).size(0x2000).sid(0x200).ssid(0x42);
            final int[] failures = new int[1];
            final long[] rounds = new long[1];

            final Runnable run = () ->
            {
                for (int round = 0; round < ROUNDS_PER_RUN; round++)
                {
                    final int vcpu = round & 1;
                    failures[0] += smmu.unmap(vcpu, leafRange) == IssueStatus.OK ? 0 : 1;
                    failures[0] += smmu.unmap(vcpu, rangeWalk) == IssueStatus.OK ? 0 : 1;
                    failures[0] += smmu.unmap(vcpu, context) == IssueStatus.OK ? 0 : 1;
                    failures[0] += smmu.unmap(vcpu, atc) == IssueStatus.OK ? 0 : 1;
                    rounds[0]++;
                }
            };
            // As in queue-core's IssuerZeroAllocationTest: a late compilation can charge a few stray bytes
            // to this thread once; an allocation on the hot path shows in every window.
            final long[] windows = new long[ATTEMPTS];
            boolean clean = false;
            for (int attempt = 0; attempt < ATTEMPTS && !clean; attempt++)
            {
                windows[attempt] = AllocationProbe.bytesOnceWarm(run, 100, 3);
                clean = windows[attempt] == 0;
            }
            assertTrue(clean, "bytes allocated by 3 warm runs of " + ROUNDS_PER_RUN + " rounds, per window: " +
                Arrays.toString(windows));
            assertEquals(0, failures[0]);
            // Entries a round, by §3-§6: 129 per-granule TLBIs as 64/64/1+S (FORCE_SYNC: 63+S/63+S/3+S) and
            // the domain's ATC_INV+S; 0x55555 pages on the RIL path = 4 TLBIs+S; TLBI_NH_ASID+S and the
            // context's ATC_INV+S; the lone ATC_INV+S.
            final long perRound = (vcmdq ? 132 : 130) + 2 + 5 + 4 + 2;
            assertEquals(rounds[0] * perRound, executed);
            final int wrapIndexMask = (1 << (log2Size + 1)) - 1;
            assertEquals(executed & wrapIndexMask, registers.getConsAcquire() & wrapIndexMask,
                "CONS moved past every executed entry");
            final long syncsPerRound = (vcmdq ? 3 : 1) + 1 + 1 + 2 + 1;
            assertEquals(rounds[0] * syncsPerRound, smmu.vcpu(0).syncs() + smmu.vcpu(1).syncs());
            smmu.close();
            device.close();
        }
    }

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        executed++;
        return CommandError.NONE;
    }
}
