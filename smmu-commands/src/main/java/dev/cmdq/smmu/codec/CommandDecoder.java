package dev.cmdq.smmu.codec;

import dev.cmdq.smmu.CommandField;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.DirectBuffer;

/**
 * Decoder for any entry, before its family is known: the opcode (including {@link Opcode#UNKNOWN}),
 * the raw words, and any field by its descriptor. Dispatch on {@link #opcode()}, then wrap the
 * family's decoder.
 */
public final class CommandDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the ring (or any buffer).
     * @param offset byte offset of the slot.
     * @return this.
     */
    public CommandDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the raw opcode byte, 0..255.
     */
    public int opcodeValue()
    {
        return (int)(CommandWords.dword0(buffer, offset) & CommandLayout.OPCODE_MASK);
    }

    /**
     * @return the opcode, {@link Opcode#UNKNOWN} when the byte is no command.
     */
    public Opcode opcode()
    {
        return Opcode.of(opcodeValue());
    }

    /**
     * @return dword 0.
     */
    public long dword0()
    {
        return CommandWords.dword0(buffer, offset);
    }

    /**
     * @return dword 1.
     */
    public long dword1()
    {
        return CommandWords.dword1(buffer, offset);
    }

    /**
     * @param field any field descriptor (normally one of {@code opcode().fields()}).
     * @return its value, right-aligned or in place for an address.
     */
    public long get(final CommandField field)
    {
        return field.get(CommandWords.dword0(buffer, offset), CommandWords.dword1(buffer, offset));
    }
}
