package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.CfgiEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the host kernel issues after writing a device's physical STE (Linux's
 * {@code arm_smmu_write_ste} → {@code arm_smmu_sync_ste_for_sid}): CFGI_STE with LEAF=1 for the physical
 * StreamID, then a CMD_SYNC the call waits for, in one insertion on the SMMU's main CMDQ. One instance
 * per calling thread (its 16-byte scratch command and encoder are reused): nothing allocates.
 */
final class SteInvalidation
{
    private final UnsafeBuffer command = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandWords.COMMAND_BYTES, 64));
    private final CfgiEncoder encoder = new CfgiEncoder();

    /**
     * @param queue the main CMDQ of the device's physical SMMU.
     * @param psid  the device's physical StreamID.
     * @return the {@link IssueStatus} of the insertion and its sync.
     */
    int invalidate(final HostCmdq queue, final long psid)
    {
        encoder.wrap(command, 0, Opcode.CFGI_STE).sid(psid).leaf(true);
        return queue.issue(command, 0, 1, true);
    }
}
