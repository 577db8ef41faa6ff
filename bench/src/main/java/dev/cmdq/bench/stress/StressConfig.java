package dev.cmdq.bench.stress;

import java.util.Objects;

import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.testbed.EngineMode;

/**
 * Parameters of one stress run.
 *
 * @param vms        VM slots (each VM is torn down and replaced now and then), {@code >= 1}.
 * @param producers  traffic workers; each owns the VM slots {@code i, i + producers, ...}; threaded mode runs
 *                   each on its own thread, inline mode round-robin on the caller, {@code 1..vms}.
 * @param seconds    wall-clock bound, {@code 0} = none (then {@code steps} must bound the run).
 * @param steps      steps per worker, {@code 0} = none (then {@code seconds} must bound the run).
 * @param seed       the seed of every random choice.
 * @param engineMode inline (deterministic for a seed and step count) or threaded engines.
 * @param hostStrategy how the host inserts into each main CMDQ (Linux lock-free, spin lock, dispatch).
 */
public record StressConfig(
    int vms, int producers, long seconds, long steps, long seed, EngineMode engineMode, HostCmdqStrategy hostStrategy)
{
    /**
     * With the host's default, Linux's lock-free insertion.
     *
     * @param vms        VM slots.
     * @param producers  traffic workers.
     * @param seconds    wall-clock bound, 0 = none.
     * @param steps      steps per worker, 0 = none.
     * @param seed       the seed.
     * @param engineMode inline or threaded.
     */
    public StressConfig(final int vms, final int producers, final long seconds, final long steps, final long seed,
        final EngineMode engineMode)
    {
        this(vms, producers, seconds, steps, seed, engineMode, HostCmdqStrategy.LINUX_LOCKFREE);
    }

    /**
     * @throws IllegalArgumentException naming the field that is out of range.
     */
    public StressConfig
    {
        Objects.requireNonNull(engineMode, "engineMode");
        Objects.requireNonNull(hostStrategy, "hostStrategy");
        if (vms < 1)
        {
            throw new IllegalArgumentException("vms: must be >= 1, was " + vms);
        }
        if (producers < 1 || producers > vms)
        {
            throw new IllegalArgumentException("producers: must be in 1.." + vms + " (one VM per producer at least), was " + producers);
        }
        if (seconds < 0 || steps < 0 || seconds == 0 && steps == 0)
        {
            throw new IllegalArgumentException("seconds=" + seconds + ", steps=" + steps + ": both >= 0, at least one > 0");
        }
    }
}
