package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test oracle side: a {@link CommandIssuer} written independently of the production recorder. It keeps
 * every {@code issue()} call as one {@code n} / {@code n+S} token and the words of its entries, writing a
 * sync as the fixed words typed from linux-unmap-sequences.md §4 (CS=SEV or CS=NONE, MSH=3, MSIATTR=0xF).
 */
final class SplitRecordingIssuer implements CommandIssuer
{
    /** CMD_SYNC CS=SEV as the vectors print it (§4). */
    static final long SYNC_SEV = 0x000000000fc02046L;
    /** CMD_SYNC CS=NONE as the vectors print it (§4). */
    static final long SYNC_NONE = 0x000000000fc00046L;

    private final List<String> tokens = new ArrayList<>();
    private final List<String> entries = new ArrayList<>();
    private long syncWord = SYNC_SEV;

    void reset(final int syncCs)
    {
        tokens.clear();
        entries.clear();
        syncWord = syncCs == 0 ? SYNC_NONE : SYNC_SEV;
    }

    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        for (int i = 0; i < count; i++)
        {
            final long dw0 = commands.getLong(offset + 16 * i, ByteOrder.LITTLE_ENDIAN);
            final long dw1 = commands.getLong(offset + 16 * i + 8, ByteOrder.LITTLE_ENDIAN);
            entries.add(String.format("%016x:%016x", dw0, dw1));
        }
        if (sync)
        {
            entries.add(String.format("%016x:%016x", syncWord, 0L));
        }
        tokens.add(sync ? count + "+S" : Integer.toString(count));
        return IssueStatus.OK;
    }

    String issues()
    {
        return String.join("/", tokens);
    }

    String commands()
    {
        return String.join("|", entries);
    }

    int entryCount()
    {
        return entries.size();
    }

    long syncCount()
    {
        return tokens.stream().filter(t -> t.endsWith("+S")).count();
    }

    @Override
    public String name()
    {
        return "split-recorder";
    }

    @Override
    public void close()
    {
    }
}
