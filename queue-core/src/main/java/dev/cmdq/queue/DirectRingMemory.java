package dev.cmdq.queue;

/**
 * Ring memory this library allocates itself: off-heap, naturally aligned to the ring's size in bytes
 * (the SMMU requires CMDQ_BASE aligned to the queue size, and Linux allocates it that way), freed
 * deterministically on {@link #close()}. Its device address is its native address.
 */
public final class DirectRingMemory extends LeasedRingMemory
{
    private final AlignedSlab slab;

    private DirectRingMemory(final int log2Size, final AlignedSlab slab)
    {
        super(log2Size, slab.address(), slab.address());
        this.slab = slab;
    }

    /**
     * Allocates a zeroed ring.
     *
     * @param log2Size log2 of the number of entries, 1..19.
     * @return the memory, to be closed by the caller.
     */
    public static DirectRingMemory allocate(final int log2Size)
    {
        QueueIndex.checkLog2Size(log2Size);
        final int bytes = QueueIndex.capacity(log2Size) << ENTRY_SHIFT;
        final int alignment = Math.max(bytes, 64);
        return new DirectRingMemory(log2Size, AlignedSlab.allocate(bytes, alignment));
    }

    @Override
    void free()
    {
        slab.free();
    }
}
