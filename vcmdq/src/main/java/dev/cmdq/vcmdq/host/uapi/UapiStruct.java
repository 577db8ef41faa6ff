package dev.cmdq.vcmdq.host.uapi;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Base of the iommufd uAPI flyweights: a window of {@link #size()} bytes at an offset of an Agrona buffer,
 * every field little-endian (the ABI of the arm64 hosts modelled). A flyweight holds no field values —
 * re-wrap it over the next struct; nothing allocates.
 */
public abstract class UapiStruct
{
    /** Byte order of every field. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * @return the struct's size in bytes (what its {@code size} field holds, when it has one).
     */
    public abstract int size();

    /**
     * @param buffer the buffer holding the struct.
     * @param offset byte offset of the struct.
     * @param <T>    the flyweight's type.
     * @return this.
     * @throws IndexOutOfBoundsException naming the offset when the struct does not fit.
     */
    @SuppressWarnings("unchecked")
    public <T extends UapiStruct> T wrap(final MutableDirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset > buffer.capacity() - size())
        {
            throw new IndexOutOfBoundsException("offset=" + offset + " + size " + size() + " exceeds capacity " + buffer.capacity());
        }
        this.buffer = buffer;
        this.offset = offset;
        return (T)this;
    }

    /**
     * Zeroes the struct and stores its size in the first u32 (every ioctl struct starts with it).
     */
    public void clearWithSize()
    {
        buffer.setMemory(offset, size(), (byte)0);
        buffer.putInt(offset, size(), ORDER);
    }

    /**
     * @return the wrapped buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the struct's offset in the buffer.
     */
    public int offset()
    {
        return offset;
    }

    protected final int u32(final int field)
    {
        return buffer.getInt(offset + field, ORDER);
    }

    protected final void u32(final int field, final int value)
    {
        buffer.putInt(offset + field, value, ORDER);
    }

    protected final long u64(final int field)
    {
        return buffer.getLong(offset + field, ORDER);
    }

    protected final void u64(final int field, final long value)
    {
        buffer.putLong(offset + field, value, ORDER);
    }

    protected final int u8(final int field)
    {
        return buffer.getByte(offset + field) & 0xFF;
    }

    protected final void u8(final int field, final int value)
    {
        buffer.putByte(offset + field, (byte)value);
    }
}
