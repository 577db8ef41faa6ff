package dev.cmdq.queue;

import org.agrona.DirectBuffer;

/**
 * Ring memory owned by someone else — typically a VMM's guest RAM, where a guest driver placed its
 * command queue. cmdq only views it: {@link #close()} forgets the address and never frees it.
 */
public final class ExternalRingMemory extends LeasedRingMemory
{
    private ExternalRingMemory(final int log2Size, final long address, final long deviceAddress)
    {
        super(log2Size, address, deviceAddress);
    }

    /**
     * Views {@code 2^log2Size × 16} bytes at a native address.
     *
     * @param address       native address of slot 0; must be 16-byte aligned.
     * @param length        bytes available at {@code address}; must cover the ring.
     * @param log2Size      log2 of the number of entries, 1..19.
     * @param deviceAddress the address of slot 0 as the device names it (e.g. guest-physical).
     * @return the view.
     * @throws IllegalArgumentException naming the offending argument.
     */
    public static ExternalRingMemory wrap(
        final long address, final long length, final int log2Size, final long deviceAddress)
    {
        QueueIndex.checkLog2Size(log2Size);
        final long needed = (long)QueueIndex.capacity(log2Size) << ENTRY_SHIFT;
        if (address == 0 || (address & (ENTRY_BYTES - 1)) != 0)
        {
            throw new IllegalArgumentException("address=0x" + Long.toHexString(address) + " is null or not 16-byte aligned");
        }
        if (length < needed)
        {
            throw new IllegalArgumentException("length=" + length + " < ring size " + needed + " for log2Size=" + log2Size);
        }
        return new ExternalRingMemory(log2Size, address, deviceAddress);
    }

    /**
     * Views a region of a larger off-heap buffer (e.g. a model of guest RAM).
     *
     * @param memory        the owning buffer; must be off-heap.
     * @param offset        byte offset of slot 0 in {@code memory}.
     * @param log2Size      log2 of the number of entries, 1..19.
     * @param deviceAddress the address of slot 0 as the device names it.
     * @return the view.
     * @throws IllegalArgumentException if {@code memory} is on-heap or the region does not fit.
     */
    public static ExternalRingMemory wrap(
        final DirectBuffer memory, final int offset, final int log2Size, final long deviceAddress)
    {
        if (memory.byteArray() != null)
        {
            throw new IllegalArgumentException("memory must be off-heap");
        }
        if (offset < 0 || offset > memory.capacity())
        {
            throw new IllegalArgumentException("offset=" + offset + " outside buffer of " + memory.capacity() + " bytes");
        }
        return wrap(memory.addressOffset() + offset, memory.capacity() - offset, log2Size, deviceAddress);
    }

    @Override
    void free()
    {
        // Not ours to free.
    }
}
