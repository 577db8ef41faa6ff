package dev.cmdq.vcmdq.guest;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link CommandIssuer} that executes nothing and records what a queue would receive: every entry in
 * order (the completion entry of a sync'd call written by a {@link CompletionEntry} without write-back,
 * as a CONS-polling caller writes it) and the insertion split in the vectors' {@code issues} notation
 * ({@code n} or {@code n+S}, joined by {@code /}). Every call succeeds at once. For checking sequences
 * ({@link UnmapVectorCheck}), not for a hot path: its arrays grow.
 */
public final class IssueRecorder implements CommandIssuer
{
    private final UnsafeBuffer syncSlot = new UnsafeBuffer(new byte[RingMemory.ENTRY_BYTES]);
    private final StringBuilder issues = new StringBuilder();
    private CompletionEntry completion;
    private long[] words = new long[2 * CommandIssuer.MAX_COMMANDS];
    private int count;

    /**
     * @param completion how the completion entry of a sync'd call is written.
     */
    public IssueRecorder(final CompletionEntry completion)
    {
        this.completion = Objects.requireNonNull(completion, "completion");
    }

    /**
     * Forgets everything recorded and sets the completion format for what follows.
     *
     * @param completion how the completion entry of a sync'd call is written.
     */
    public void reset(final CompletionEntry completion)
    {
        this.completion = Objects.requireNonNull(completion, "completion");
        count = 0;
        issues.setLength(0);
    }

    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        if (count < 0 || count > MAX_COMMANDS)
        {
            throw new IllegalArgumentException("count=" + count + " is outside 0.." + MAX_COMMANDS);
        }
        for (int i = 0; i < count; i++)
        {
            final int at = offset + i * RingMemory.ENTRY_BYTES;
            record(CommandWords.dword0(commands, at), CommandWords.dword1(commands, at));
        }
        if (sync)
        {
            completion.write(syncSlot, 0, CompletionEntry.NO_WRITE_BACK);
            record(CommandWords.dword0(syncSlot, 0), CommandWords.dword1(syncSlot, 0));
        }
        if (count > 0 || sync)
        {
            if (issues.length() > 0)
            {
                issues.append('/');
            }
            issues.append(count);
            if (sync)
            {
                issues.append("+S");
            }
        }
        return IssueStatus.OK;
    }

    /**
     * @return entries recorded, completion entries included.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index 0-based entry.
     * @return its dword 0.
     */
    public long dword0(final int index)
    {
        return words[2 * Objects.checkIndex(index, count)];
    }

    /**
     * @param index 0-based entry.
     * @return its dword 1.
     */
    public long dword1(final int index)
    {
        return words[2 * Objects.checkIndex(index, count) + 1];
    }

    /**
     * @return how many recorded entries are CMD_SYNC (by opcode).
     */
    public int syncs()
    {
        int syncs = 0;
        for (int i = 0; i < count; i++)
        {
            if ((words[2 * i] & CommandLayout.OPCODE_MASK) == Opcode.CMD_SYNC.value())
            {
                syncs++;
            }
        }
        return syncs;
    }

    /**
     * @return the insertion split, e.g. {@code 64/64/1+S}; empty when nothing was issued.
     */
    public String issues()
    {
        return issues.toString();
    }

    @Override
    public String name()
    {
        return "recorder";
    }

    @Override
    public void close()
    {
    }

    private void record(final long dword0, final long dword1)
    {
        if (2 * count + 2 > words.length)
        {
            words = Arrays.copyOf(words, 2 * words.length);
        }
        words[2 * count] = dword0;
        words[2 * count + 1] = dword1;
        count++;
    }
}
