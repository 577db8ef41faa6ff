package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad requests are refused with the offending field named, before anything is issued.
 */
class UnmapRequestTest
{
    @Test
    void fieldsOutOfTheirCommandFieldsAreRefused()
    {
        refused(() -> new UnmapRequest().asid(0x1_0000), "asid=0x10000");
        refused(() -> new UnmapRequest().vmid(-1), "vmid=");
        refused(() -> new UnmapRequest().sid(0x1_0000_0000L), "sid=0x100000000");
        refused(() -> new UnmapRequest().ssid(0x10_0000), "ssid=0x100000");
        refused(() -> new UnmapRequest().size(-1), "size=");
        refused(() -> new UnmapRequest().granule(0x3000), "granule=0x3000");
        refused(() -> new UnmapRequest().granule(0), "granule=0x0");
        refused(() -> new UnmapRequest().pageSize(0x2000), "pgsize=0x2000");
    }

    @Test
    void relationsAreCheckedBeforeBuilding()
    {
        refused(() -> new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).pageSize(0x10000).granule(0x1000).size(0x1000).check(),
            "granule=0x1000 is below pgsize=0x10000");
        refused(() -> new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_DOMAIN).rangeInvalidation(true).size(0x1800).check(),
            "size=0x1800 is not a multiple of pgsize=0x1000");
        refused(() -> new UnmapRequest().op(UnmapOp.ATC_INV).iova(0xffff_ffff_ffff_f000L).size(0x2000).check(), "wraps");
    }

    @Test
    void rangesThatAreFineForTheKernelPass()
    {
        // Without RIL a partial granule is fine (ceil); a range ending exactly at 2^64 does not wrap.
        final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_RANGE_ASID).size(0x1800).check();
        assertEquals(0x1800, request.size());
        new UnmapRequest().op(UnmapOp.ATC_INV).iova(0xffff_ffff_ffff_f000L).size(0x1000).check();
    }

    private static void refused(final Executable action, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, action);
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
    }
}
