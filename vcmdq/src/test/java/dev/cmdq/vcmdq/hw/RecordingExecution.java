package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.CommandError;

/**
 * A {@link CommandExecution} for tests: records both words of every command that reaches it, in order,
 * and can be told to fail one execution with a CERROR. Allocation-free once built; wraps around after
 * {@link #CAPACITY} records (for long warm loops), keeping a checksum of everything.
 */
final class RecordingExecution implements CommandExecution
{
    static final int CAPACITY = 1 << 16;

    final long[] dw0 = new long[CAPACITY];
    final long[] dw1 = new long[CAPACITY];
    /** Commands executed (successfully) so far. */
    long count;
    long checksum;
    /** Execution number (0-based, successful ones counted) to fail, or -1. */
    long failAt = -1;
    int failWith = CommandError.ILL;

    @Override
    public int execute(final long dword0, final long dword1)
    {
        if (count == failAt)
        {
            failAt = -1;
            return failWith;
        }
        final int i = (int)(count & (CAPACITY - 1));
        dw0[i] = dword0;
        dw1[i] = dword1;
        checksum = checksum * 31 + dword0 + 7 * dword1;
        count++;
        return CommandError.NONE;
    }

    int opcode(final int i)
    {
        return (int)(dw0[i] & 0xFF);
    }

    /** The ASID field of record i, which tests use as a (queue, sequence) tag. */
    int asid(final int i)
    {
        return (int)(dw0[i] >>> 48);
    }
}
