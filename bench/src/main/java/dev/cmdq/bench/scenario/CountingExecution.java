package dev.cmdq.bench.scenario;

import dev.cmdq.queue.CommandError;
import dev.cmdq.vcmdq.hw.CommandExecution;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The SMMU's execution for a scenario: counts every command and every CMD_SYNC the engine executed
 * and, in real mode, busy-waits the modelled hardware time per command on the engine's thread (in
 * simulated mode the timeline charges it instead). The model caches are not part of a latency run:
 * invalidations of a cache nobody fills have no effect to check here (the hw tests check them).
 * Allocation-free; the engine is its only caller.
 */
final class CountingExecution implements CommandExecution
{
    private static final int CMD_SYNC = 0x46;

    private final long busyNs;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();

    /**
     * @param busyNs nanoseconds to busy-wait per command (0 in simulated mode).
     */
    CountingExecution(final long busyNs)
    {
        this.busyNs = busyNs;
    }

    @Override
    public int execute(final long dword0, final long dword1)
    {
        if (busyNs > 0)
        {
            final long end = System.nanoTime() + busyNs;
            while (System.nanoTime() - end < 0)
            {
                Thread.onSpinWait();
            }
        }
        // Single writer (the engine's thread): a release store of get() + 1 publishes the count without a
        // locked add; readers on other threads load it with get() (acquire).
        if ((int)(dword0 & 0xFF) == CMD_SYNC)
        {
            syncs.lazySet(syncs.get() + 1);
        }
        commands.lazySet(commands.get() + 1);
        return CommandError.NONE;
    }

    /**
     * @return commands executed so far, syncs included.
     */
    long commands()
    {
        return commands.get();
    }

    /**
     * @return CMD_SYNCs executed so far.
     */
    long syncs()
    {
        return syncs.get();
    }
}
