package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.CfgiEncoder;
import dev.cmdq.vcmdq.host.HostCmdq;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.IommufdException;
import dev.cmdq.vcmdq.host.SidTable;
import dev.cmdq.vcmdq.host.Viommu;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * {@link SteInstaller} over the in-process host model: does what the host kernel does when a nested
 * HWPT is (re-)attached — the physical STE write itself is not modelled, its invalidation is: one
 * CFGI_STE (LEAF=1) for the device's physical StreamID, followed by a CMD_SYNC the call waits for, on
 * the main CMDQ of the vIOMMU's physical SMMU.
 *
 * <p>Why it lives here: {@code IommufdBackend} has no nested-HWPT allocation or attach yet (the uAPI
 * struct {@code IommuHwptAlloc} exists, the call does not), so this stand-in reaches the host model's
 * objects directly. When the backend gains the call, this class becomes a thin adapter over it.
 */
public final class HostCmdqSteInstaller implements SteInstaller
{
    private final Iommufd iommufd;
    private final HostCmdq[] queues;
    private final UnsafeBuffer command = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandWords.COMMAND_BYTES, 64));
    private final CfgiEncoder encoder = new CfgiEncoder();

    /**
     * @param iommufd the host model holding the vIOMMUs.
     * @param queues  the main CMDQ of every physical SMMU, by {@link HostCmdq#smmuId()}.
     */
    public HostCmdqSteInstaller(final Iommufd iommufd, final HostCmdq... queues)
    {
        this.iommufd = Objects.requireNonNull(iommufd, "iommufd");
        this.queues = queues.clone();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean reinstall(final int viommuId, final long vsid)
    {
        final Viommu viommu;
        try
        {
            viommu = iommufd.viommu(viommuId);
        }
        catch (final IommufdException e)
        {
            return false;
        }
        final long psid = viommu.translateSid(vsid);
        if (psid == SidTable.NO_ENTRY)
        {
            return false;
        }
        final HostCmdq queue = queueOf(viommu.smmuId());
        if (queue == null)
        {
            return false;
        }
        encoder.wrap(command, 0, Opcode.CFGI_STE).sid(psid).leaf(true);
        return queue.issue(command, 0, 1, true) == IssueStatus.OK;
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
        return null;
    }
}
