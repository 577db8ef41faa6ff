package dev.cmdq.queue;

import org.agrona.BufferUtil;

import java.nio.ByteBuffer;

/**
 * A zeroed off-heap slab whose start is aligned to a power of two, that can really be freed.
 *
 * <p>Why not {@code BufferUtil.allocateDirectAligned}: it returns a <em>slice</em> of the buffer it
 * allocated, and the JDK refuses to run the cleaner of a slice ({@code IllegalArgumentException:
 * duplicate or slice}), so such memory can only be freed by the garbage collector. This class keeps the
 * allocated parent buffer and frees that.
 *
 * <pre>
 *  raw.address()      address() = raw rounded up to alignment
 *  |<-- pad < align -->|<------------------ bytes ------------------>|<- rest ->|
 * </pre>
 */
final class AlignedSlab
{
    private ByteBuffer raw;
    private final long address;

    private AlignedSlab(final ByteBuffer raw, final long address)
    {
        this.raw = raw;
        this.address = address;
    }

    /**
     * @param bytes     usable bytes.
     * @param alignment power of two the start address is a multiple of.
     * @return a zeroed slab.
     */
    static AlignedSlab allocate(final int bytes, final int alignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new IllegalArgumentException("alignment=" + alignment + " is not a power of two");
        }
        final ByteBuffer raw = ByteBuffer.allocateDirect(bytes + alignment - 1);
        final long rawAddress = BufferUtil.address(raw);
        final long aligned = (rawAddress + alignment - 1) & -(long)alignment;
        return new AlignedSlab(raw, aligned);
    }

    /**
     * @return the aligned start address.
     */
    long address()
    {
        return address;
    }

    /**
     * Frees the memory now; idempotent. The caller must have made every view of it unusable first.
     */
    void free()
    {
        final ByteBuffer r = raw;
        raw = null;
        if (r != null)
        {
            BufferUtil.free(r);
        }
    }
}
