package dev.cmdq.smmu;

import static dev.cmdq.smmu.CmdSyncLayout.CS_IRQ;
import static dev.cmdq.smmu.CmdSyncLayout.CS_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.CS_NONE;
import static dev.cmdq.smmu.CmdSyncLayout.CS_SEV;
import static dev.cmdq.smmu.CmdSyncLayout.CS_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSH_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSIADDR_MASK;
import static dev.cmdq.smmu.CmdSyncLayout.MSIATTR_SHIFT;
import static dev.cmdq.smmu.CmdSyncLayout.MSIDATA_SHIFT;

import dev.cmdq.queue.CompletionEntry;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * queue-core's completion entry, implemented by CMD_SYNC exactly as Linux builds its syncs
 * (smmuv3-cmdq.md §3):
 * <ul>
 *   <li>{@link #LINUX}: a write-back request becomes CS=IRQ with MSIADDR = the given address and
 *       MSIDATA 0 (the MSI-polling path: the device writes 32-bit 0 at the address, normally the sync's
 *       own slot); {@link CompletionEntry#NO_WRITE_BACK} becomes CS=SEV (the CONS-polling path).</li>
 *   <li>{@link #BUSY_POLL}: always CS=NONE (the Tegra241 VCMDQ path, which never uses MSI polling);
 *       it refuses write-back requests, since a CS=NONE sync signals nothing.</li>
 * </ul>
 * Both write MSH=3 and MSIATTR=0xF and overwrite all 16 bytes. Stateless: share the constants.
 *
 * <p>{@link #writeBackAddress} reports a write-back only for CS=IRQ with a non-zero MSIADDR: with
 * MSIADDR 0 the architecture signals a wired interrupt instead of a memory write [spec, unverified
 * here], which is also why a write-back address of 0 cannot be requested.
 */
public final class CmdSyncCompletion implements CompletionEntry
{
    /** Linux's main-CMDQ form: CS=IRQ for a write-back, CS=SEV otherwise. */
    public static final CmdSyncCompletion LINUX = new CmdSyncCompletion(false);
    /** Linux's Tegra241 VCMDQ form: CS=NONE, completion seen by polling CONS only. */
    public static final CmdSyncCompletion BUSY_POLL = new CmdSyncCompletion(true);

    private static final long FIXED_DWORD0 = Opcode.CMD_SYNC.value() |
        ((long)CmdSyncLayout.MSH_INNER_SHAREABLE << MSH_SHIFT) |
        ((long)CmdSyncLayout.MSIATTR_OIWB << MSIATTR_SHIFT);

    private final boolean busyPoll;

    private CmdSyncCompletion(final boolean busyPoll)
    {
        this.busyPoll = busyPoll;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a write-back address is 0 or has bits outside 51:2 (it could
     *                                  not be honoured), or if this is {@link #BUSY_POLL} and a
     *                                  write-back is requested.
     */
    @Override
    public void write(final MutableDirectBuffer buffer, final int offset, final long writeBackAddress)
    {
        if (writeBackAddress == NO_WRITE_BACK)
        {
            final long cs = busyPoll ? CS_NONE : CS_SEV;
            CommandWords.put(buffer, offset, FIXED_DWORD0 | (cs << CS_SHIFT), 0L);
            return;
        }
        if (busyPoll)
        {
            throw new IllegalArgumentException(
                "a busy-poll CMD_SYNC (CS=NONE) cannot request a write-back to 0x" + Long.toHexString(writeBackAddress));
        }
        if (writeBackAddress == 0 || (writeBackAddress & ~MSIADDR_MASK) != 0)
        {
            throw new IllegalArgumentException(
                "writeBackAddress=0x" + Long.toHexString(writeBackAddress) +
                " cannot be a CMD_SYNC MSIADDR (must be non-zero and within bits 51:2)");
        }
        CommandWords.put(buffer, offset, FIXED_DWORD0 | ((long)CS_IRQ << CS_SHIFT), writeBackAddress);
    }

    @Override
    public boolean isCompletion(final DirectBuffer buffer, final int offset)
    {
        return (CommandWords.dword0(buffer, offset) & CommandLayout.OPCODE_MASK) == Opcode.CMD_SYNC.value();
    }

    @Override
    public long writeBackAddress(final DirectBuffer buffer, final int offset)
    {
        final long dword0 = CommandWords.dword0(buffer, offset);
        if (((dword0 & CS_MASK) >>> CS_SHIFT) != CS_IRQ)
        {
            return NO_WRITE_BACK;
        }
        final long address = CommandWords.dword1(buffer, offset) & MSIADDR_MASK;
        return address == 0 ? NO_WRITE_BACK : address;
    }

    @Override
    public int writeBackValue(final DirectBuffer buffer, final int offset)
    {
        return (int)(CommandWords.dword0(buffer, offset) >>> MSIDATA_SHIFT);
    }

    /**
     * @return {@code CmdSyncCompletion.LINUX} or {@code CmdSyncCompletion.BUSY_POLL}.
     */
    @Override
    public String toString()
    {
        return busyPoll ? "CmdSyncCompletion.BUSY_POLL" : "CmdSyncCompletion.LINUX";
    }
}
