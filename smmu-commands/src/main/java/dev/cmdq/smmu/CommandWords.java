package dev.cmdq.smmu;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads and writes the two little-endian 64-bit words of a 16-byte command slot (smmuv3-cmdq.md
 * §1.2: "each dword is little-endian in memory"). Byte order is explicit so the bits are right on a
 * big-endian host too; on x86 and arm64 the order argument costs nothing.
 */
public final class CommandWords
{
    /** Bytes in one command slot. */
    public static final int COMMAND_BYTES = 16;
    /** Byte offset of dword 1 within a slot. */
    public static final int DWORD1_OFFSET = 8;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private CommandWords()
    {
    }

    /**
     * @param buffer the ring or any buffer.
     * @param offset byte offset of the slot.
     * @return dword 0 of the command.
     */
    public static long dword0(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, ORDER);
    }

    /**
     * @param buffer the ring or any buffer.
     * @param offset byte offset of the slot.
     * @return dword 1 of the command.
     */
    public static long dword1(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DWORD1_OFFSET, ORDER);
    }

    /**
     * Overwrites the whole slot: both words, so nothing of a previous occupant survives.
     *
     * @param buffer the ring or any buffer.
     * @param offset byte offset of the slot.
     * @param dword0 new dword 0.
     * @param dword1 new dword 1.
     */
    public static void put(final MutableDirectBuffer buffer, final int offset, final long dword0, final long dword1)
    {
        buffer.putLong(offset, dword0, ORDER);
        buffer.putLong(offset + DWORD1_OFFSET, dword1, ORDER);
    }

    /**
     * Replaces the bits selected by {@code mask} in dword 0 with {@code (value << shift) & mask}: the
     * kernel's {@code FIELD_PREP}, which silently drops value bits that do not fit.
     *
     * @param buffer the slot's buffer.
     * @param offset byte offset of the slot.
     * @param mask   the field's bits in place; 0 makes the call a no-op.
     * @param shift  the field's low bit.
     * @param value  the field value.
     */
    public static void putField0(
        final MutableDirectBuffer buffer, final int offset, final long mask, final int shift, final long value)
    {
        final long word = buffer.getLong(offset, ORDER);
        buffer.putLong(offset, (word & ~mask) | ((value << shift) & mask), ORDER);
    }

    /**
     * As {@link #putField0} for dword 1.
     *
     * @param buffer the slot's buffer.
     * @param offset byte offset of the slot.
     * @param mask   the field's bits in place; 0 makes the call a no-op.
     * @param shift  the field's low bit.
     * @param value  the field value.
     */
    public static void putField1(
        final MutableDirectBuffer buffer, final int offset, final long mask, final int shift, final long value)
    {
        final int index = offset + DWORD1_OFFSET;
        final long word = buffer.getLong(index, ORDER);
        buffer.putLong(index, (word & ~mask) | ((value << shift) & mask), ORDER);
    }
}
