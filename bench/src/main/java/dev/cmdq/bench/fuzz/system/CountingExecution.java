package dev.cmdq.bench.fuzz.system;

import dev.cmdq.queue.CommandError;
import dev.cmdq.vcmdq.hw.CommandExecution;
import dev.cmdq.vcmdq.hw.cache.SmmuCaches;

/**
 * The fuzzed SMMU's {@link CommandExecution}: the real caches ({@link SmmuCaches#execute}), with a count
 * of the commands they accepted, so the harness can tell "executed once" from "never" or "twice" without
 * asking the queue. CMD_SYNCs are counted apart: on the trapped path the host adds its own.
 *
 * <p>Engine thread only (inline mode: the fuzzing thread); plain fields, read on that thread.
 */
final class CountingExecution implements CommandExecution
{
    private static final long CMD_SYNC = 0x46;

    private final SmmuCaches caches;
    private long accepted;
    private long acceptedSyncs;

    /**
     * @param caches the SMMU's caches.
     */
    CountingExecution(final SmmuCaches caches)
    {
        this.caches = caches;
    }

    @Override
    public int execute(final long dword0, final long dword1)
    {
        final int error = caches.execute(dword0, dword1);
        if (error == CommandError.NONE)
        {
            accepted++;
            if ((dword0 & 0xFF) == CMD_SYNC)
            {
                acceptedSyncs++;
            }
        }
        return error;
    }

    /**
     * @return commands the caches accepted (CMD_SYNC included).
     */
    long accepted()
    {
        return accepted;
    }

    /**
     * @return accepted commands other than CMD_SYNC.
     */
    long acceptedNonSync()
    {
        return accepted - acceptedSyncs;
    }
}
