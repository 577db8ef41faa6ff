package dev.cmdq.queue.testkit;

import dev.cmdq.queue.CompletionEntry;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A completion entry in a format of its own, so queue-core is tested without any SMMU opcode.
 *
 * <pre>
 *   dword0:  63            32 31           8 7        0
 *           +----------------+--------------+----------+
 *           |     VALUE      |      0       | KIND=C5h |
 *           +----------------+--------------+----------+
 *   dword1:  63                                      0
 *           +------------------------------------------+
 *           |  ADDRESS (device address, -1 = none)     |
 *           +------------------------------------------+
 * </pre>
 *
 * Like a Linux CMD_SYNC with MSI polling, the device's write-back of VALUE lands on bits 31:0 of the
 * entry's own slot, over KIND; VALUE therefore must differ from the first word as written (C5h).
 * Its KIND differs from {@link StressEntry#KIND}, so the two formats never mistake each other.
 */
public final class TestCompletionEntry implements CompletionEntry
{
    /** dword0 bits 7:0 of a completion entry. */
    public static final int KIND = 0xC5;
    /** The default write-back value (MSIDATA), 0 as Linux uses. */
    public static final int DEFAULT_VALUE = 0;

    private final int value;

    /**
     * A format whose entries ask for {@link #DEFAULT_VALUE}.
     */
    public TestCompletionEntry()
    {
        this(DEFAULT_VALUE);
    }

    /**
     * @param value the write-back value entries ask for; must differ from {@link #KIND}.
     * @throws IllegalArgumentException naming {@code value} when it equals the first word.
     */
    public TestCompletionEntry(final int value)
    {
        if (value == KIND)
        {
            throw new IllegalArgumentException("value=0x" + Integer.toHexString(value) + " equals the first word of the entry");
        }
        this.value = value;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void write(final MutableDirectBuffer buffer, final int offset, final long writeBackAddress)
    {
        buffer.putLong(offset, ((long)value << 32) | KIND);
        buffer.putLong(offset + 8, writeBackAddress);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isCompletion(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset) & 0xFF) == KIND;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long writeBackAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 8);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int writeBackValue(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 4);
    }
}
