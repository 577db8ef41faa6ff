package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every one of the 256 opcode values against a table typed here from smmuv3-cmdq.md §2.1 and §5.2/§5.3
 * (not from the code under test), with SSec clear and set.
 */
class CommandActionTableTest
{
    private static final Map<Integer, CommandAction> EXPECTED = new HashMap<>();
    /** Opcodes whose format has SSec (dword0 bit 10) in the SMMUv3 command formats: PREFETCH_*, CFGI_*, RESUME, STALL_TERM. */
    private static final int[] WITH_SSEC = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x44, 0x45};

    static
    {
        EXPECTED.put(0x46, CommandAction.SYNC);
        EXPECTED.put(0x40, CommandAction.FORWARD_BY_SID);
        EXPECTED.put(0x05, CommandAction.FORWARD_BY_SID);
        EXPECTED.put(0x06, CommandAction.FORWARD_BY_SID);
        EXPECTED.put(0x10, CommandAction.FORWARD_TO_ALL);
        EXPECTED.put(0x11, CommandAction.FORWARD_TO_ALL);
        EXPECTED.put(0x12, CommandAction.FORWARD_TO_ALL);
        EXPECTED.put(0x13, CommandAction.FORWARD_TO_ALL);
        EXPECTED.put(0x30, CommandAction.FORWARD_TO_ALL);
        EXPECTED.put(0x03, CommandAction.REINSTALL_STE);
        EXPECTED.put(0x04, CommandAction.REINSTALL_STE_RANGE);
        for (final int ignored : new int[] {0x01, 0x02, 0x18, 0x1A, 0x20, 0x21, 0x22, 0x23, 0x41, 0x44, 0x45})
        {
            EXPECTED.put(ignored, CommandAction.IGNORE);
        }
    }

    @Test
    void everyOpcodeHasTheActionOfQemusAcceleratedStage1ConsumeLoop()
    {
        for (int opcode = 0; opcode < 256; opcode++)
        {
            final CommandAction expected = EXPECTED.getOrDefault(opcode, CommandAction.ILLEGAL);
            assertEquals(expected, CommandActionTable.of(opcode | (0x1234L << 32)), "opcode 0x" + Integer.toHexString(opcode));
            assertEquals(expected, CommandActionTable.ofOpcode(opcode));
        }
    }

    @Test
    void ssecSetIsIllegalOnEveryOpcodeWithTheFieldAndMeaninglessElsewhere()
    {
        for (final int opcode : WITH_SSEC)
        {
            assertEquals(CommandAction.ILLEGAL, CommandActionTable.of(opcode | (1L << 10)), "opcode 0x" + Integer.toHexString(opcode));
        }
        // Bit 10 of a TLBI or ATC_INV is not SSec (TLBI: reserved; ATC_INV: reserved): the action stays.
        assertEquals(CommandAction.FORWARD_TO_ALL, CommandActionTable.of(0x12 | (1L << 10)));
        assertEquals(CommandAction.FORWARD_BY_SID, CommandActionTable.of(0x40 | (1L << 10)));
    }

    @Test
    void anOpcodeBeyondEightBitsIsRefusedByName()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandActionTable.ofOpcode(0x100));
        assertEquals("opcode=0x100 is not 8-bit", e.getMessage());
    }
}
