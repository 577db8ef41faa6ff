package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole warm unmap through the testbed allocates nothing, on each path, inline (everything on the test
 * thread): guest driver, trapped registers and trap handler or mapped VCMDQ, host invalidate and main
 * CMDQ, the SMMU engine, the SID substitution, the execution gate and the caches. Measured with the
 * thread's allocated-bytes counter; no timing.
 */
class WarmUnmapZeroAllocationTest
{
    private static final int ROUNDS_PER_RUN = 50;
    private static final int ATTEMPTS = 3;

    @ParameterizedTest
    @EnumSource(GuestPath.class)
    void warmUnmapsAllocateNothing(final GuestPath path)
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        try (Platform platform = Platform.builder().smmus(2).engineMode(EngineMode.INLINE).build())
        {
            final Vm vm = platform.createVm(VmConfig.of("vm0", path, 2));
            vm.attach(0x8, platform.bindDevice(0, 0x100));
            vm.attach(0x9, platform.bindDevice(1, 0x200));
            final int s0 = vm.smmuOf(0x8);
            final int s1 = vm.smmuOf(0x9);
            final UnmapRequest leafRange = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).iova(0x4000_0000L)
                .size(0x21000).granule(0x1000).leaf(true).pageSize(0x1000).asid(7).ats(true).sid(0x8).ssid(3);
            final UnmapRequest context = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(9).ats(true).sid(0x9);
            final UnmapRequest atc = new UnmapRequest().op(UnmapOp.ATC_INV).iova(0x7fff_f000L).size(0x2000).sid(0x9).ssid(0x42);
            final int[] failures = new int[1];
            final Runnable run = () ->
            {
                for (int round = 0; round < ROUNDS_PER_RUN; round++)
                {
                    final int vcpu = round & 1;
                    failures[0] += vm.unmap(s0, vcpu, leafRange) == IssueStatus.OK ? 0 : 1;
                    failures[0] += vm.unmap(s1, vcpu, context) == IssueStatus.OK ? 0 : 1;
                    failures[0] += vm.unmap(s1, vcpu, atc) == IssueStatus.OK ? 0 : 1;
                }
            };
            final long executedBefore = platform.gate(0).executed() + platform.gate(1).executed();
            // As the other zero-allocation tests: a late compilation can charge stray bytes once; an
            // allocation on the path shows in every window.
            final long[] windows = new long[ATTEMPTS];
            boolean clean = false;
            for (int attempt = 0; attempt < ATTEMPTS && !clean; attempt++)
            {
                windows[attempt] = AllocationProbe.bytesOnceWarm(run, 100, 3);
                clean = windows[attempt] == 0;
            }
            assertTrue(clean, path + ": bytes allocated by 3 warm runs of " + ROUNDS_PER_RUN + " rounds, per window: " +
                Arrays.toString(windows));
            assertEquals(0, failures[0]);
            assertTrue(platform.gate(0).executed() + platform.gate(1).executed() > executedBefore, "the commands reached the SMMUs");
            assertEquals(0, vm.counters().guestFailures());
        }
    }
}
