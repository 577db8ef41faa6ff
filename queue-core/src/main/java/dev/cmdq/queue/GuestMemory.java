package dev.cmdq.queue;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A VM's RAM as the hardware and the VMM see it: one off-heap region that starts at a guest-physical
 * address ({@link #base()}). It lives in queue-core, below the system layers, because the hardware
 * model, the VMM and the guest all see the same RAM while the layers above queue-core may each use only
 * the one below. Guest command queues (an emulated vSMMU CMDQ, a guest-owned VCMDQ) live in
 * it; the SMMU fetches commands from it and the trap handler reads them from it, both through
 * {@link ExternalRingMemory} views, so a command is never copied on its way out of the guest.
 *
 * <pre>
 *   guest-physical   base()                       base() + size()
 *                    |------------- size() bytes ----------|
 *   buffer() offset  0                             size()
 * </pre>
 *
 * <p>An address outside {@code [base, base + size)} is not guest memory: a fetch from it is an abort
 * (CERROR_ABT on the queue that tried), and {@link #ring} refuses it with an exception naming the
 * address. The region is freed by the garbage collector, never explicitly, so a late reader can never
 * touch freed memory.
 */
public final class GuestMemory
{
    private final long base;
    private final int size;
    private final AtomicBuffer buffer;

    private GuestMemory(final long base, final int size)
    {
        this.base = base;
        this.size = size;
        final ByteBuffer bytes = BufferUtil.allocateDirectAligned(size, 4096);
        this.buffer = new UnsafeBuffer(bytes);
    }

    /**
     * Allocates zeroed guest RAM.
     *
     * @param base guest-physical address of the first byte; 4 KiB aligned, {@code >= 0}.
     * @param size bytes, a positive multiple of 4 KiB.
     * @return the memory.
     * @throws IllegalArgumentException naming {@code base} or {@code size} when misaligned or out of range.
     */
    public static GuestMemory allocate(final long base, final int size)
    {
        if (base < 0 || (base & 0xFFF) != 0)
        {
            throw new IllegalArgumentException("base=0x" + Long.toHexString(base) + " is negative or not 4 KiB aligned");
        }
        if (size <= 0 || (size & 0xFFF) != 0)
        {
            throw new IllegalArgumentException("size=" + size + " is not a positive multiple of 4 KiB");
        }
        if (base + size < base)
        {
            throw new IllegalArgumentException("base=0x" + Long.toHexString(base) + " + size=" + size + " overflows");
        }
        return new GuestMemory(base, size);
    }

    /**
     * @return guest-physical address of the first byte.
     */
    public long base()
    {
        return base;
    }

    /**
     * @return bytes of guest RAM.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return the whole RAM; guest-physical address {@code a} is at offset {@code a - base()}.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * @param gpa    guest-physical address.
     * @param length bytes from it.
     * @return true when all of {@code [gpa, gpa + length)} is guest RAM.
     */
    public boolean contains(final long gpa, final long length)
    {
        return length >= 0 && gpa >= base && gpa - base <= size - length;
    }

    /**
     * @param gpa guest-physical address inside guest RAM.
     * @return its byte offset in {@link #buffer()}.
     * @throws IllegalArgumentException naming {@code gpa} when it is not guest RAM.
     */
    public int offsetOf(final long gpa)
    {
        if (!contains(gpa, 1))
        {
            throw new IllegalArgumentException("gpa=0x" + Long.toHexString(gpa) + " is outside guest memory " + this);
        }
        return (int)(gpa - base);
    }

    /**
     * Views a command queue that lives in guest RAM.
     *
     * @param gpa      guest-physical address of slot 0; 16-byte aligned.
     * @param log2Size log2 of the number of entries, 1..19.
     * @return the ring, whose {@link RingMemory#deviceAddress()} is {@code gpa}.
     * @throws IllegalArgumentException naming {@code gpa} when the ring is not wholly inside guest RAM or
     *                                  misaligned, or {@code log2Size} when out of range.
     */
    public ExternalRingMemory ring(final long gpa, final int log2Size)
    {
        QueueIndex.checkLog2Size(log2Size);
        final long bytes = (long)QueueIndex.capacity(log2Size) << RingMemory.ENTRY_SHIFT;
        if (!contains(gpa, bytes))
        {
            throw new IllegalArgumentException("gpa=0x" + Long.toHexString(gpa) + " with " + bytes +
                " bytes (log2Size=" + log2Size + ") is not inside guest memory " + this);
        }
        if ((gpa & (RingMemory.ENTRY_BYTES - 1)) != 0)
        {
            throw new IllegalArgumentException("gpa=0x" + Long.toHexString(gpa) + " is not 16-byte aligned");
        }
        return ExternalRingMemory.wrap(buffer.addressOffset() + (gpa - base), bytes, log2Size, gpa);
    }

    @Override
    public String toString()
    {
        return "GuestMemory[0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(base + size) + ")";
    }
}
