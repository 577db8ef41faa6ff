package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * HostCmdq over every strategy: commands arrive in order followed by Linux's main-CMDQ CMD_SYNC
 * (smmuv3-cmdq / vcmdq-viommu.md §2 fields: opcode 0x46, CS bits 13:12 — 1 IRQ for MSI write-back,
 * 2 SEV for CONS polling; MSI address in dword 1 bits 51:2, the sync's own slot); bad counts are
 * refused by name; a closed queue answers CLOSED.
 */
class HostCmdqTest
{
    @ParameterizedTest
    @EnumSource(HostCmdqStrategy.class)
    void issuesInOrderWithLinuxSyncForms(final HostCmdqStrategy strategy)
    {
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));
        for (int i = 0; i < 3; i++)
        {
            commands.putLong(i * 16, 0x12 | ((long)(i + 1) << 48), ByteOrder.LITTLE_ENDIAN);
            commands.putLong(i * 16 + 8, (long)i << 12, ByteOrder.LITTLE_ENDIAN);
        }
        try (MainCmdqRig rig = new MainCmdqRig(7, strategy, CompletionWait.WRITE_BACK, WaitPolicy.DEFAULT_TIMEOUT_NS))
        {
            assertEquals(7, rig.queue.smmuId());
            assertEquals(strategy, rig.queue.strategy());
            assertEquals(IssueStatus.OK, rig.queue.issue(commands, 0, 3, true));
            assertEquals(4, rig.recorded);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(0x12 | ((long)(i + 1) << 48), rig.dw0[i]);
                assertEquals((long)i << 12, rig.dw1[i]);
            }
            assertEquals(0x46, rig.opcode(3));
            assertEquals(1, (rig.dw0[3] >>> 12) & 3, "CS=IRQ: MSI write-back");
            assertEquals(rig.memory.deviceAddress() + 3 * 16, rig.dw1[3] & 0x000F_FFFF_FFFF_FFFCL, "MSI address = the sync's slot");
            assertThrows(IllegalArgumentException.class, () -> rig.queue.issue(commands, 0, 65, false));
            rig.queue.close();
            assertEquals(IssueStatus.CLOSED, rig.queue.issue(commands, 0, 1, true));
        }
        try (MainCmdqRig rig = new MainCmdqRig(0, strategy, CompletionWait.CONS_POLL, WaitPolicy.DEFAULT_TIMEOUT_NS))
        {
            assertEquals(IssueStatus.OK, rig.queue.issue(commands, 0, 0, true));
            assertEquals(1, rig.recorded);
            assertEquals(0x46, rig.opcode(0));
            assertEquals(2, (rig.dw0[0] >>> 12) & 3, "CS=SEV: CONS polling");
        }
    }
}
