package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trapping registers: each access is one exit to the right register of SMMU page 0, counted and
 * charged; and queue-core's Linux issuer runs unchanged over them and a ring in guest memory, its
 * commands arriving at the host device rewritten (expected words typed from vcmdq-viommu.md §3.7).
 */
class TrappingQueueRegistersTest
{
    private VmmRig rig;

    @AfterEach
    void close()
    {
        rig.close();
    }

    @Test
    void everyAccessIsOneCountedExitToItsRegister()
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, ForwardingPolicy.BATCHED);
        final TrappingQueueRegisters registers = rig.vsmmu.cmdqRegisters();
        registers.putConsRelease(5);
        assertEquals(5, rig.read(SmmuPage0.CMDQ_CONS));
        registers.putProdRelease(7);                              // CMDQEN clear: stored only
        assertEquals(7, rig.read(SmmuPage0.CMDQ_PROD));
        assertEquals(7, registers.getProdAcquire());
        assertEquals(5, registers.getConsAcquire());
        registers.putGerrornRelease(0x1);
        assertEquals(1, rig.read(SmmuPage0.GERRORN));
        assertEquals(1, registers.getGerrornAcquire());
        registers.putGerrorRelease(0x1);
        assertEquals(0, registers.getGerrorAcquire(), "GERROR is read-only to software");
        // 8 accesses through the registers + 3 MMIO reads above.
        assertEquals(11, rig.vsmmu.cmdqCounters().traps().get());
        assertEquals(11, rig.vsmmu.counters().totals().traps().get());
        assertEquals(11, rig.meter.count(CostKind.VM_EXIT));
        assertEquals(1, rig.vsmmu.counters().ignoredAccesses().get(), "the GERROR write");
    }

    @ParameterizedTest
    @EnumSource(ForwardingPolicy.class)
    void aLinuxGuestIssuerRunsUnchangedOverTrappedRegistersAndGuestMemory(final ForwardingPolicy policy)
    {
        rig = new VmmRig(TopologyKind.PER_PHYSICAL_SMMU, policy);
        rig.attach(0, 0x100, 0x8);
        rig.enable();
        final ExternalRingMemory ring = rig.memory.ring(VmmRig.RING_GPA, VmmRig.LOG2);
        final LinuxCmdqIssuer guest = new LinuxCmdqIssuer(ring, rig.vsmmu.cmdqRegisters(), CmdSyncCompletion.LINUX,
            CompletionWait.CONS_POLL, WaitPolicy.withTimeout(WaitPolicy.DEFAULT_TIMEOUT_NS));
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * 16));
        commands.putLong(0, 0x12 | (0x5L << 48), ByteOrder.LITTLE_ENDIAN);          // TLBI_NH_VA asid 5
        commands.putLong(8, 0x7000_0001L, ByteOrder.LITTLE_ENDIAN);
        commands.putLong(16, 0x40 | (0x8L << 32), ByteOrder.LITTLE_ENDIAN);         // ATC_INV vSID 8
        commands.putLong(24, 0x4003L, ByteOrder.LITTLE_ENDIAN);
        commands.putLong(32, 0x11 | (0x6L << 48), ByteOrder.LITTLE_ENDIAN);         // TLBI_NH_ASID asid 6
        commands.putLong(40, 0, ByteOrder.LITTLE_ENDIAN);
        final long exitsBefore = rig.meter.count(CostKind.VM_EXIT);
        assertEquals(IssueStatus.OK, guest.issue(commands, 0, 3, true));
        assertEquals(IssueStatus.OK, guest.issue(commands, 32, 1, true));
        guest.close();

        final long vmid = VmmRig.HOST_VMID << 32;
        final RecordingMainCmdq host = rig.smmu0;
        int i = 0;
        VmmRig.assertWords(host, i++, 0x12 | (0x5L << 48) | vmid, 0x7000_0001L);
        if (policy == ForwardingPolicy.PER_COMMAND)
        {
            VmmRig.assertHostSync(host, i++);
        }
        VmmRig.assertWords(host, i++, 0x40 | (0x100L << 32), 0x4003L);
        if (policy == ForwardingPolicy.PER_COMMAND)
        {
            VmmRig.assertHostSync(host, i++);
        }
        VmmRig.assertWords(host, i++, 0x11 | (0x6L << 48) | vmid, 0);
        VmmRig.assertHostSync(host, i++);
        VmmRig.assertWords(host, i++, 0x11 | (0x6L << 48) | vmid, 0);
        VmmRig.assertHostSync(host, i++);
        assertEquals(i, host.recorded);
        assertEquals(2, rig.vsmmu.cmdqCounters().syncs().get(), "the guest's two CMD_SYNCs completed locally");
        assertEquals(6, rig.vsmmu.cmdqCounters().commands().get());
        assertEquals(policy == ForwardingPolicy.PER_COMMAND ? 4 : 2, rig.vsmmu.counters().invalidateCalls().get());
        // At least the PROD write and one CONS poll per issue are exits.
        assertTrue(rig.meter.count(CostKind.VM_EXIT) - exitsBefore >= 4);
        assertEquals(6, rig.cons() & 0x1FF, "guest CONS past both syncs: 3 + sync, 1 + sync");
    }
}
