package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.TlbiLayout;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * The VMID-wide invalidation a VMID must go through before reuse: TLBI_S12_VMALL (0x28; VMID in dword 0
 * bits 47:32) followed by a CMD_SYNC the call waits for, on the SMMU's {@link HostCmdq} — what Linux
 * issues when it frees an S2 domain's VMID. Used as the hook of that SMMU's {@link VmidAllocator}.
 * Rare (teardown), so it serialises on the instance for its 16-byte scratch command.
 */
public final class VmidInvalidation implements IntPredicate
{
    private final HostCmdq queue;
    private final UnsafeBuffer command = new UnsafeBuffer(ByteBuffer.allocateDirect(CommandWords.COMMAND_BYTES));

    /**
     * @param queue the main CMDQ of the SMMU whose VMIDs this invalidates.
     */
    public VmidInvalidation(final HostCmdq queue)
    {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /**
     * @param vmid the VMID.
     * @return true once the invalidation and its sync completed.
     */
    @Override
    public synchronized boolean test(final int vmid)
    {
        CommandWords.put(command, 0, Opcode.TLBI_S12_VMALL.value() | (((long)vmid << TlbiLayout.VMID_SHIFT) & TlbiLayout.VMID_MASK), 0);
        return queue.issue(command, 0, 1, true) == IssueStatus.OK;
    }
}
