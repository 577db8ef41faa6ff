package dev.cmdq.bench.scenario;

import java.util.SplittableRandom;

/**
 * The IOVAs a guest thread unmaps: size-aligned slots drawn from a seeded random inside that thread's
 * own 1 GiB window (as the IOVA allocator rounds to the buffer's power-of-two size; threads do not share
 * buffers). Same seed, same sequence. One thread; allocation-free.
 */
public final class IovaSequence
{
    /** Start of the first thread's window: clear of IOVA 0. */
    static final long BASE = 1L << 32;
    /** Bytes of each thread's window. */
    static final long WINDOW = 1L << 30;

    private final SplittableRandom random;
    private final long base;
    private final long bufferBytes;
    private final int slots;

    /**
     * @param seed        the run's seed.
     * @param vcpu        the thread's vCPU.
     * @param bufferBytes the buffer size, a power of two up to the window.
     */
    public IovaSequence(final long seed, final int vcpu, final long bufferBytes)
    {
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + vcpu);
        this.base = BASE + vcpu * WINDOW;
        this.bufferBytes = bufferBytes;
        this.slots = (int)Math.min(WINDOW / bufferBytes, 1 << 20);
    }

    /**
     * @return the next IOVA.
     */
    public long next()
    {
        return base + random.nextInt(slots) * bufferBytes;
    }
}
