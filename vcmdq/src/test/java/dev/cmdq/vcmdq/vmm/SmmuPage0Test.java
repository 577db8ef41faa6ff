package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Offsets and masks against smmuv3-cmdq.md §1.3, typed as literals.
 */
class SmmuPage0Test
{
    @Test
    void offsetsAreTheDocs()
    {
        assertEquals(0x90, SmmuPage0.CMDQ_BASE);
        assertEquals(0x98, SmmuPage0.CMDQ_PROD);
        assertEquals(0x9C, SmmuPage0.CMDQ_CONS);
        assertEquals(0x60, SmmuPage0.GERROR);
        assertEquals(0x64, SmmuPage0.GERRORN);
        assertEquals(0x20, SmmuPage0.CR0);
        assertEquals(0x24, SmmuPage0.CR0ACK);
        assertEquals(0x8, SmmuPage0.CR0_CMDQEN);
        assertEquals(0x000F_FFFF_FFFF_FFE0L, SmmuPage0.BASE_ADDR_MASK);
        assertEquals(0x7F00_0000, SmmuPage0.CONS_ERR_MASK);
    }

    @Test
    void namesResolveOnBothPages()
    {
        assertEquals("CMDQ_PROD", SmmuPage0.name(0x98));
        assertEquals("CMDQ_PROD", SmmuPage0.name(0x10098));
        assertEquals("IDR3", SmmuPage0.name(0xC));
        assertEquals("0x1234", SmmuPage0.name(0x1234));
    }
}
