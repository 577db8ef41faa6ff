package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warm trap loop allocates nothing: a guest writes commands and a CMD_SYNC into its ring in guest
 * memory and PROD through the trapping registers, the trap handler forwards them (TLBIs, ATC_INV,
 * CFGI_CD, CFGI_STE re-install, ignored and sync entries) to the host model, and the guest polls CONS.
 * For both forwarding policies and both topologies, with vSID 8's device attached once or detached and
 * attached again before the loop (detach empties a route entry the loop then looks up); measured with the
 * thread's allocated-bytes counter.
 */
class TrapZeroAllocationTest
{
    private static final int CALLS_PER_RUN = 500;

    static List<Arguments> cases()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final TopologyKind topology : TopologyKind.values())
        {
            for (final ForwardingPolicy policy : ForwardingPolicy.values())
            {
                all.add(Arguments.of(topology, policy, false));
                all.add(Arguments.of(topology, policy, true));
            }
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void warmTrapLoopAllocatesNothing(final TopologyKind topology, final ForwardingPolicy policy, final boolean replugged)
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        try (VmmRig rig = new VmmRig(topology, policy))
        {
            rig.smmu0.record = false;
            rig.smmu1.record = false;
            final int dev8 = rig.iommufd.bindDevice(0, 0x100);
            rig.vsmmu.attach(dev8, 0x8);
            rig.attach(topology == TopologyKind.FANNED_OUT ? 1 : 0, 0x200, 0x9);
            if (replugged)
            {
                rig.vsmmu.detach(0x8);
                rig.vsmmu.attach(dev8, 0x8);
            }
            rig.enable();
            final ExternalRingMemory ring = rig.memory.ring(VmmRig.RING_GPA, VmmRig.LOG2);
            final LinuxCmdqIssuer guest = new LinuxCmdqIssuer(ring, rig.vsmmu.cmdqRegisters(), CmdSyncCompletion.LINUX,
                CompletionWait.CONS_POLL, WaitPolicy.withTimeout(WaitPolicy.DEFAULT_TIMEOUT_NS));
            final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(6 * 16));
            put(commands, 0, 0x12 | (0x5L << 48), 0x7000_0001L);        // TLBI_NH_VA
            put(commands, 1, 0x40 | (0x8L << 32), 0x4003L);             // ATC_INV vSID 8
            put(commands, 2, 0x05 | (0x9L << 32), 1);                   // CFGI_CD vSID 9
            put(commands, 3, 0x01 | (0x8L << 32), 0);                   // PREFETCH_CFG: ignored
            put(commands, 4, 0x03 | (0x9L << 32), 1);                   // CFGI_STE vSID 9: re-install
            put(commands, 5, 0x11 | (0x6L << 48), 0);                   // TLBI_NH_ASID
            final int[] failures = new int[1];
            final Runnable loop = () ->
            {
                for (int call = 0; call < CALLS_PER_RUN; call++)
                {
                    if (guest.issue(commands, 0, 1 + call % 6, true) != IssueStatus.OK)
                    {
                        failures[0]++;
                    }
                }
            };
            long bytes = -1;
            for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
            {
                bytes = AllocationProbe.bytesOnceWarm(loop, 100, 3);
            }
            guest.close();
            assertEquals(0, bytes, "bytes allocated by warm trap loops");
            assertEquals(0, failures[0]);
            assertEquals(0, rig.vsmmu.cmdqCounters().errors().get());
        }
    }

    private static void put(final UnsafeBuffer buffer, final int i, final long dw0, final long dw1)
    {
        buffer.putLong(i * 16, dw0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(i * 16 + 8, dw1, ByteOrder.LITTLE_ENDIAN);
    }
}
