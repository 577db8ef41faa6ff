package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.TlbiLayout;
import dev.cmdq.smmu.validate.CommandValidator;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The model of {@code IOMMU_HWPT_INVALIDATE} against a vIOMMU (vcmdq-viommu.md §3.7) — the host half of
 * the trapped path. For each 16-byte entry, in order:
 * <pre>
 *   opcode (dw0 7:0)                       rewriting
 *   TLBI_NSNH_ALL 0x30                     dw0 = 0x10 | VMID &lt;&lt; 32, dw1 = 0     (becomes TLBI_NH_ALL)
 *   TLBI_NH_ALL/ASID/VA/VAA 0x10..0x13     dw0 bits 47:32 (VMID) = vIOMMU's VMID
 *   ATC_INV 0x40, CFGI_CD 0x05, CFGI_CD_ALL 0x06
 *                                          dw0 bits 63:32 (SID) = pSID of that vSID in this vIOMMU
 *   anything else                          stop: {@link InvalidateStatus#REJECTED_OPCODE}
 * </pre>
 * Converted entries go to the vIOMMU's physical SMMU's main CMDQ through its {@link HostCmdq}, in chunks
 * of at most {@value #CHUNK} commands each followed by a CMD_SYNC that the call waits for.
 *
 * <p><b>Handled count — a deliberate deviation.</b> {@link #handled()} counts only entries that were
 * really executed and synced. On a rejected entry the converted entries before it (the partial chunk)
 * are submitted and synced first, so the count equals the offending index as the kernel reports it, but
 * here it is true: the kernel (§3.7, code observation) does <em>not</em> submit that partial chunk yet
 * still counts it. On a failed submission the count stops at the end of the last chunk that completed,
 * where the kernel reports all but one entry of the failed chunk. An empty call succeeds with nothing
 * submitted (the SMMUv3 kernel path returns -EINVAL for zero entries, §3.7).
 *
 * <p><b>Threads.</b> One instance per calling thread (the trap handler runs under its vSMMU's lock): it
 * owns a reusable off-heap chunk buffer. The hot path allocates nothing; commands move as two longs.
 */
public final class ViommuInvalidator
{
    /** Commands per chunk: CMDQ_BATCH_ENTRIES - 1, leaving the last slot of a batch for the CMD_SYNC. */
    public static final int CHUNK = HostCmdq.MAX_COMMANDS - 1;

    private static final int NH_ALL = Opcode.TLBI_NH_ALL.value();
    private static final int NH_ASID = Opcode.TLBI_NH_ASID.value();
    private static final int NH_VA = Opcode.TLBI_NH_VA.value();
    private static final int NH_VAA = Opcode.TLBI_NH_VAA.value();
    private static final int NSNH_ALL = Opcode.TLBI_NSNH_ALL.value();
    private static final int ATC_INV = Opcode.ATC_INV.value();
    private static final int CFGI_CD = Opcode.CFGI_CD.value();
    private static final int CFGI_CD_ALL = Opcode.CFGI_CD_ALL.value();

    private final HostCmdq[] queues;
    private final UnsafeBuffer chunk;
    private int handled;
    private int issueStatus;
    private int failedIndex = -1;

    /**
     * @param queues the main CMDQs of the physical SMMUs this caller's vIOMMUs sit on (found by
     *               {@link HostCmdq#smmuId()}).
     */
    public ViommuInvalidator(final HostCmdq... queues)
    {
        this.queues = Objects.requireNonNull(queues, "queues").clone();
        this.chunk = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CHUNK * CommandWords.COMMAND_BYTES, 64));
    }

    /**
     * Converts and executes {@code count} entries for one vIOMMU.
     *
     * @param viommu  the vIOMMU whose VMID and vSID table apply.
     * @param entries the {@code iommu_viommu_arm_smmuv3_invalidate} array: 16-byte raw commands, LE.
     * @param offset  byte offset of the first entry.
     * @param count   number of entries, {@code >= 0}.
     * @return an {@link InvalidateStatus} code; {@link #handled()} says how many entries executed.
     * @throws IllegalArgumentException naming {@code count} when negative.
     * @throws IllegalStateException    naming the SMMU when this invalidator has no queue for it.
     */
    public int invalidate(final Viommu viommu, final DirectBuffer entries, final int offset, final int count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count=" + count + " is negative");
        }
        final HostCmdq queue = queueOf(viommu.smmuId());
        final long vmidField = ((long)viommu.vmid() << TlbiLayout.VMID_SHIFT) & TlbiLayout.VMID_MASK;
        handled = 0;
        issueStatus = IssueStatus.OK;
        failedIndex = -1;
        int pending = 0;
        for (int i = 0; i < count; i++)
        {
            final int at = offset + i * CommandWords.COMMAND_BYTES;
            final long dw0 = CommandWords.dword0(entries, at);
            long dw1 = CommandWords.dword1(entries, at);
            final int opcode = (int)(dw0 & CommandLayout.OPCODE_MASK);
            final long out0;
            if (opcode == NH_ALL || opcode == NH_ASID || opcode == NH_VA || opcode == NH_VAA)
            {
                out0 = (dw0 & ~TlbiLayout.VMID_MASK) | vmidField;
            }
            else if (opcode == NSNH_ALL)
            {
                out0 = NH_ALL | vmidField;
                dw1 = 0;
            }
            else if (opcode == ATC_INV || opcode == CFGI_CD || opcode == CFGI_CD_ALL)
            {
                final long psid = viommu.translateSid(dw0 >>> CommandLayout.SID_SHIFT);
                if (psid == SidTable.NO_ENTRY)
                {
                    return fail(queue, pending, i, InvalidateStatus.UNKNOWN_SID);
                }
                out0 = (dw0 & ~CommandLayout.SID_MASK) | (psid << CommandLayout.SID_SHIFT);
            }
            else
            {
                return fail(queue, pending, i, InvalidateStatus.REJECTED_OPCODE);
            }
            CommandWords.put(chunk, pending * CommandWords.COMMAND_BYTES, out0, dw1);
            if (++pending == CHUNK)
            {
                if (!submit(queue, pending))
                {
                    failedIndex = i;
                    return InvalidateStatus.SUBMIT_FAILED;
                }
                pending = 0;
            }
        }
        if (pending > 0 && !submit(queue, pending))
        {
            failedIndex = count - 1;
            return InvalidateStatus.SUBMIT_FAILED;
        }
        return InvalidateStatus.OK;
    }

    /**
     * @return entries of the last call that were executed and synced on the main CMDQ.
     */
    public int handled()
    {
        return handled;
    }

    /**
     * @return the {@link IssueStatus} of the last call's failed submission, {@link IssueStatus#OK} if none.
     */
    public int issueStatus()
    {
        return issueStatus;
    }

    /**
     * @return index of the entry the last call stopped at (rejected entry, or last entry of the failed
     *         chunk), -1 when it succeeded.
     */
    public int failedIndex()
    {
        return failedIndex;
    }

    /**
     * @param dword0 a raw entry's dword 0.
     * @return true for the eight opcodes §3.7 accepts (the same list as {@link CommandValidator#iommufdAccepts}).
     */
    public static boolean accepts(final long dword0)
    {
        return CommandValidator.iommufdAccepts(Opcode.of((int)(dword0 & CommandLayout.OPCODE_MASK)));
    }

    private int fail(final HostCmdq queue, final int pending, final int index, final int status)
    {
        failedIndex = index;
        if (pending > 0 && !submit(queue, pending))
        {
            return InvalidateStatus.SUBMIT_FAILED;
        }
        return status;
    }

    private boolean submit(final HostCmdq queue, final int count)
    {
        final int status = queue.issue(chunk, 0, count, true);
        if (status != IssueStatus.OK)
        {
            issueStatus = status;
            return false;
        }
        handled += count;
        return true;
    }

    private HostCmdq queueOf(final int smmuId)
    {
        for (final HostCmdq queue : queues)
        {
            if (queue.smmuId() == smmuId)
            {
                return queue;
            }
        }
        throw new IllegalStateException("no main CMDQ for smmu " + smmuId);
    }
}
