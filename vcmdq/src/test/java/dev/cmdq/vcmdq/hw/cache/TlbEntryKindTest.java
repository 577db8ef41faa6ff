package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The five kinds are distinct bits, their groups are what the scope table says, and the tag rules
 * (which kinds carry a VMID, which an ASID) match IHI0070's tagging.
 */
class TlbEntryKindTest
{
    private static final int[] KINDS = {
        TlbEntryKind.STAGE1, TlbEntryKind.STAGE1_GLOBAL, TlbEntryKind.STAGE2, TlbEntryKind.EL2, TlbEntryKind.EL2_GLOBAL};

    @Test
    void kindsAreDistinctSingleBits()
    {
        int seen = 0;
        for (final int kind : KINDS)
        {
            assertTrue(TlbEntryKind.isKind(kind), TlbEntryKind.name(kind));
            assertEquals(0, seen & kind);
            seen |= kind;
        }
        assertEquals(TlbEntryKind.ALL, seen);
        assertFalse(TlbEntryKind.isKind(0));
        assertFalse(TlbEntryKind.isKind(TlbEntryKind.NH));
        assertFalse(TlbEntryKind.isKind(1 << 5));
        assertFalse(TlbEntryKind.isKind(-1));
    }

    @Test
    void groups()
    {
        assertEquals(0b00011, TlbEntryKind.NH);
        assertEquals(0b00111, TlbEntryKind.NSNH);
        assertEquals(0b11000, TlbEntryKind.HYP);
    }

    @Test
    void tags()
    {
        assertTrue(TlbEntryKind.hasVmid(TlbEntryKind.STAGE1));
        assertTrue(TlbEntryKind.hasVmid(TlbEntryKind.STAGE1_GLOBAL));
        assertTrue(TlbEntryKind.hasVmid(TlbEntryKind.STAGE2));
        assertFalse(TlbEntryKind.hasVmid(TlbEntryKind.EL2));
        assertFalse(TlbEntryKind.hasVmid(TlbEntryKind.EL2_GLOBAL));
        assertTrue(TlbEntryKind.hasAsid(TlbEntryKind.STAGE1));
        assertTrue(TlbEntryKind.hasAsid(TlbEntryKind.EL2));
        assertFalse(TlbEntryKind.hasAsid(TlbEntryKind.STAGE1_GLOBAL));
        assertFalse(TlbEntryKind.hasAsid(TlbEntryKind.STAGE2));
        assertFalse(TlbEntryKind.hasAsid(TlbEntryKind.EL2_GLOBAL));
    }

    @Test
    void names()
    {
        assertEquals("STAGE1", TlbEntryKind.name(TlbEntryKind.STAGE1));
        assertEquals("EL2_GLOBAL", TlbEntryKind.name(TlbEntryKind.EL2_GLOBAL));
        assertEquals("KIND_96", TlbEntryKind.name(96));
    }
}
