package dev.cmdq.smmu.codec;

import dev.cmdq.smmu.CommandFamily;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import org.agrona.DirectBuffer;

/**
 * The one check every codec's {@code wrap} makes: the opcode belongs to the codec's family.
 */
final class FamilyCheck
{
    private FamilyCheck()
    {
    }

    static Opcode forEncoder(final Opcode opcode, final CommandFamily family)
    {
        if (opcode.family() != family)
        {
            throw new IllegalArgumentException("opcode " + opcode + " is not a " + family + " command");
        }
        return opcode;
    }

    static Opcode forDecoder(final DirectBuffer buffer, final int offset, final CommandFamily family)
    {
        final int value = (int)(CommandWords.dword0(buffer, offset) & CommandLayout.OPCODE_MASK);
        final Opcode opcode = Opcode.of(value);
        if (opcode.family() != family)
        {
            throw new IllegalArgumentException(
                "entry at offset " + offset + " has opcode 0x" + Integer.toHexString(value) + " (" + opcode +
                "), not a " + family + " command");
        }
        return opcode;
    }
}
