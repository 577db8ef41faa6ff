package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.vcmdq.hw.CommandExecution;

/**
 * A recording {@link CommandExecution}: every command that reaches one SMMU's caches, in order, as its two
 * words. Read it through the platform's {@link ExecutionGate} (single writer: the engine).
 */
final class CommandLog implements CommandExecution
{
    static final int MAX = 1 << 16;

    final long[] dw0 = new long[MAX];
    final long[] dw1 = new long[MAX];
    int count;

    @Override
    public int execute(final long dword0, final long dword1)
    {
        if (count < MAX)
        {
            dw0[count] = dword0;
            dw1[count] = dword1;
        }
        count++;
        return CommandError.NONE;
    }

    /** @return the index of the first command from {@code from} on equal to the words, or -1. */
    int find(final int from, final long d0, final long d1)
    {
        for (int i = from; i < Math.min(count, MAX); i++)
        {
            if (dw0[i] == d0 && dw1[i] == d1)
            {
                return i;
            }
        }
        return -1;
    }

    /** @return commands with this opcode, other than CMD_SYNC, from {@code from} on. */
    int countOpcode(final int from, final int opcode)
    {
        int n = 0;
        for (int i = from; i < Math.min(count, MAX); i++)
        {
            if ((int)(dw0[i] & 0xFF) == opcode)
            {
                n++;
            }
        }
        return n;
    }
}
