package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.vcmdq.hw.InlineEngineIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The guest's direct window: a Linux guest driver ({@link LinuxCmdqIssuer}, CONS polling, CS=NONE
 * syncs) over the mapped registers of its logical VCMDQ, whose commands reach the SMMU's caches with the
 * VINTF's VMID and the device's physical SID substituted, while not one of its register accesses is an
 * exit; and the window's refusals for a slot with no HW queue.
 */
class VintfPage0Test
{
    private static final int HOST_ASID = 0x77;
    private final CmdqvRig rig = new CmdqvRig().mapCmdqv(8);

    @AfterEach
    void close()
    {
        rig.close();
    }

    static LinuxCmdqIssuer guestIssuer(final CmdqvRig rig, final int lidx, final QueueRegisters registers)
    {
        final ExternalRingMemory ring = rig.memory.ring(CmdqvRig.RING_GPA[lidx], CmdqvRig.LOG2);
        return new LinuxCmdqIssuer(ring, registers, CmdSyncCompletion.BUSY_POLL, CompletionWait.CONS_POLL,
            new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, () -> new InlineEngineIdleStrategy(rig.smmu), SystemNanoClock.INSTANCE));
    }

    /** The CMD_SYNC Linux appends on a VCMDQ, from its fields: CS=NONE, MSH=3 (23:22), MSIATTR=0xF (27:24). */
    static final long VCMDQ_SYNC_DW0 = 0x46 | (3L << 22) | (0xFL << 24);

    @Test
    void aGuestDriverRunsOnTheMappedRegistersWithNoExitAndTheHardwareSubstitutes()
    {
        rig.guestAllocate(0);
        rig.guestEnable(0);
        final LinuxCmdqIssuer guest = guestIssuer(rig, 0, rig.vsmmu.vintfPage0().countedRegisters(0));
        final int guestVmid = 0x3;  // whatever the guest writes, the VINTF's VMID is used (§1.8)
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * 16));
        commands.putLong(0, 0x12 | ((long)guestVmid << 32) | ((long)HOST_ASID << 48), ByteOrder.LITTLE_ENDIAN); // TLBI_NH_VA
        commands.putLong(8, 0x7000_1000L, ByteOrder.LITTLE_ENDIAN);
        commands.putLong(16, 0x40 | (CmdqvRig.VSID << 32), ByteOrder.LITTLE_ENDIAN);                   // ATC_INV vSID
        commands.putLong(24, 0x4003L, ByteOrder.LITTLE_ENDIAN);
        commands.putLong(32, 0x11 | ((long)guestVmid << 32) | (0x5L << 48), ByteOrder.LITTLE_ENDIAN);    // TLBI_NH_ASID
        commands.putLong(40, 0, ByteOrder.LITTLE_ENDIAN);
        final long trapsBefore = rig.traps();
        final long exitsBefore = rig.meter.count(CostKind.VM_EXIT);

        assertEquals(IssueStatus.OK, guest.issue(commands, 0, 3, true));
        assertEquals(IssueStatus.OK, guest.issue(commands, 32, 1, true));
        guest.close();

        final long accesses = rig.region.counters().mappedAccesses().get();
        assertTrue(accesses >= 4, "the guest used the window: " + accesses + " accesses");
        assertEquals(trapsBefore, rig.traps(), "none of them was an exit");
        assertEquals(exitsBefore, rig.meter.count(CostKind.VM_EXIT));
        final long vmid = rig.hostVmid();
        assertEquals(6, rig.count, "3 commands + sync, 1 command + sync");
        assertWords(0, 0x12 | (vmid << 32) | ((long)HOST_ASID << 48), 0x7000_1000L);
        assertWords(1, 0x40 | (CmdqvRig.PSID << 32), 0x4003L);
        assertWords(2, 0x11 | (vmid << 32) | (0x5L << 48), 0);
        assertWords(3, VCMDQ_SYNC_DW0, 0);
        assertWords(4, 0x11 | (vmid << 32) | (0x5L << 48), 0);
        assertWords(5, VCMDQ_SYNC_DW0, 0);
        assertEquals(6, rig.vsmmu.vcmdqRegisters(0).getConsAcquire(), "CONS past both syncs");
    }

    private void assertWords(final int i, final long d0, final long d1)
    {
        assertEquals(Long.toHexString(d0), Long.toHexString(rig.dw0[i]), "dword0 of command " + i);
        assertEquals(Long.toHexString(d1), Long.toHexString(rig.dw1[i]), "dword1 of command " + i);
    }

    @Test
    void configAndStatusGoThroughTheMappingAndReadBack()
    {
        rig.guestAllocate(0);
        final VintfPage0 page0 = rig.vsmmu.vintfPage0();
        assertEquals(0, page0.status(0), "the guest enables its queue itself");
        final long traps = rig.traps();
        page0.writeConfig(0, 1);
        rig.run(2);
        assertEquals(1, page0.status(0));
        assertEquals(1, page0.config(0));
        assertEquals(traps, rig.traps());
        page0.writeConfig(0, 0);
        rig.run(2);
        assertEquals(0, page0.status(0));
    }

    @Test
    void aSlotWithoutHwQueueOrOutOfRangeIsRefusedNamingIt()
    {
        final VintfPage0 page0 = rig.vsmmu.vintfPage0();
        assertEquals("lidx=0 has no HW queue, so its mapped registers reaches no hardware (set CMDQV_EN, VINTF0 ENABLE, " +
            "CMDQ_ALLOC_MAP.ALLOC and BASE first)", assertThrows(IllegalStateException.class, () -> page0.registers(0)).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> page0.writeConfig(1, 1)).getMessage().startsWith("lidx=1 "));
        assertTrue(assertThrows(IllegalStateException.class, () -> page0.status(1)).getMessage().contains("STATUS"));
        assertEquals("lidx=2 is outside the VINTF's logical VCMDQs 0..1",
            assertThrows(IllegalArgumentException.class, () -> page0.registers(2)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> page0.hwQueueId(-1)).getMessage().startsWith("lidx=-1 "));
        assertEquals(0, page0.hwQueueId(0));
        rig.guestAllocate(0);
        assertTrue(page0.isMapped(0));
        assertTrue(page0.hwQueueId(0) > 0);
    }

    @Test
    void aVsmmuWithoutCmdqvHasNoWindow()
    {
        try (CmdqvRig bare = new CmdqvRig(TopologyKind.PER_PHYSICAL_SMMU, dev.cmdq.vcmdq.host.ViommuType.TEGRA241_CMDQV))
        {
            assertEquals("vsmmu0 has no CMDQV mapped (mapCmdqv first)",
                assertThrows(IllegalStateException.class, () -> bare.vsmmu.vcmdqRegisters(0)).getMessage());
        }
    }
}
