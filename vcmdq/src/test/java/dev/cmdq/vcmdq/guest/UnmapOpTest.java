package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The vectors' op names (linux-unmap-sequences.md §7) and which inputs each op has.
 */
class UnmapOpTest
{
    @Test
    void namesFromTheVectorFormat()
    {
        assertEquals(UnmapOp.TLB_INV_RANGE_ASID, UnmapOp.ofCsvName("tlb_inv_range_asid"));
        assertEquals(UnmapOp.TLB_INV_RANGE_DOMAIN, UnmapOp.ofCsvName("tlb_inv_range_domain"));
        assertEquals(UnmapOp.ATC_INV, UnmapOp.ofCsvName("atc_inv"));
        assertEquals(UnmapOp.TLB_INV_CONTEXT, UnmapOp.ofCsvName("tlb_inv_context"));
        assertNull(UnmapOp.ofCsvName("TLB_INV_CONTEXT"));
        assertNull(UnmapOp.ofCsvName("tlb_inv_all"));
    }

    @Test
    void rangeAndAtsOps()
    {
        assertTrue(UnmapOp.TLB_INV_RANGE_ASID.isRange());
        assertTrue(UnmapOp.TLB_INV_RANGE_DOMAIN.isRange());
        assertFalse(UnmapOp.ATC_INV.isRange());
        assertFalse(UnmapOp.TLB_INV_CONTEXT.isRange());
        assertFalse(UnmapOp.TLB_INV_RANGE_ASID.hasDomainAts());
        assertTrue(UnmapOp.TLB_INV_RANGE_DOMAIN.hasDomainAts());
        assertFalse(UnmapOp.ATC_INV.hasDomainAts());
        assertTrue(UnmapOp.TLB_INV_CONTEXT.hasDomainAts());
    }
}
