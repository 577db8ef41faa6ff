package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The main-CMDQ CMD_SYNC a {@link HostCmdq} appends: {@link CmdSyncCompletion#LINUX} in every respect but
 * one. queue-core's issuers check at construction that a completion's write-back is observable by
 * writing a probe entry with write-back address 0 into a scratch buffer; {@code CmdSyncCompletion}
 * rightly refuses MSIADDR 0 (it would mean a wired interrupt, not a memory write), so the two cannot be
 * combined as they are. This adapter writes the CONS-polled form (CS=SEV) for that address only — no ring
 * slot has device address 0, so real syncs are unaffected — and delegates everything else.
 */
final class HostSyncCompletion implements CompletionEntry
{
    static final HostSyncCompletion INSTANCE = new HostSyncCompletion();

    private HostSyncCompletion()
    {
    }

    @Override
    public void write(final MutableDirectBuffer buffer, final int offset, final long writeBackAddress)
    {
        CmdSyncCompletion.LINUX.write(buffer, offset, writeBackAddress == 0 ? NO_WRITE_BACK : writeBackAddress);
    }

    @Override
    public boolean isCompletion(final DirectBuffer buffer, final int offset)
    {
        return CmdSyncCompletion.LINUX.isCompletion(buffer, offset);
    }

    @Override
    public long writeBackAddress(final DirectBuffer buffer, final int offset)
    {
        return CmdSyncCompletion.LINUX.writeBackAddress(buffer, offset);
    }

    @Override
    public int writeBackValue(final DirectBuffer buffer, final int offset)
    {
        return CmdSyncCompletion.LINUX.writeBackValue(buffer, offset);
    }
}
