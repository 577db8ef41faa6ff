package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.TlbiEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Linux's {@code arm_smmu_tlb_inv_asid}, the TLB half of a context invalidation
 * (linux-unmap-sequences.md §6): one TLBI_NH_ASID and its CMD_SYNC as a single two-slot insertion
 * ({@code arm_smmu_cmdq_issue_cmd_with_sync}, {@code 1+S}), not through the batch.
 *
 * <pre>
 *  TLBI_NH_ASID: opcode 0x11, VMID dw0[47:32], ASID dw0[63:48], dw1 = 0
 * </pre>
 *
 * Not thread-safe (one per vCPU); allocation-free.
 */
public final class TlbInvAsid
{
    private final TlbiEncoder tlbi = new TlbiEncoder();
    private final UnsafeBuffer command =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(RingMemory.ENTRY_BYTES, RingMemory.ENTRY_BYTES));

    /**
     * Issues TLBI_NH_ASID with a sync and waits for it. The batch's held commands are not touched.
     *
     * @param batch the vCPU's batch (only its single-command form is used).
     * @param asid  the ASID.
     * @param vmid  the VMID field value.
     * @return the issuer's status ({@link IssueStatus#OK} once the sync completed).
     */
    public int invalidate(final CommandBatch batch, final int asid, final int vmid)
    {
        tlbi.wrap(command, 0, Opcode.TLBI_NH_ASID).asid(asid).vmid(vmid);
        // Native-order reads: the batch stores them back in native order, so the slot's bytes move unchanged.
        return batch.issueCommandWithSync(command.getLong(0, ByteOrder.LITTLE_ENDIAN), command.getLong(8, ByteOrder.LITTLE_ENDIAN));
    }
}
