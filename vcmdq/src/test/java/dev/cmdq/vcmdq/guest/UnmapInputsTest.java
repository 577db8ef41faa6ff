package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.smmu.CmdSyncCompletion;
import org.junit.jupiter.api.Test;

/**
 * The {@code inputs} column per op: every key read, unknown/missing/repeated keys and bad values named.
 */
class UnmapInputsTest
{
    private final UnmapInputs inputs = new UnmapInputs();
    private final UnmapRequest request = new UnmapRequest();

    @Test
    void aDomainRowFillsEveryField()
    {
        inputs.parse(UnmapOp.TLB_INV_RANGE_DOMAIN, "iova=0x4b17856bc000;size=0x24000;granule=0x4000;leaf=1;" +
            "pgsize=0x4000;range_inv=0;asid=0x24a4;vmid=0x7;ats=1;sid=0xe10b;ssid=0x5;force_sync=1;sync_cs=0", request);
        assertEquals(UnmapOp.TLB_INV_RANGE_DOMAIN, request.op());
        assertEquals(0x4b17856bc000L, request.iova());
        assertEquals(0x24000, request.size());
        assertEquals(0x4000, request.granule());
        assertTrue(request.leaf());
        assertEquals(0x4000, request.pageSize());
        assertFalse(request.rangeInvalidation());
        assertEquals(0x24a4, request.asid());
        assertEquals(7, request.vmid());
        assertTrue(request.ats());
        assertEquals(0xe10b, request.sid());
        assertEquals(5, request.ssid());
        assertTrue(inputs.forceSync());
        assertEquals(0, inputs.syncCs());
        assertEquals(CmdSyncCompletion.BUSY_POLL, inputs.completion());
    }

    @Test
    void aParseResetsWhatTheLastOneSet()
    {
        inputs.parse(UnmapOp.TLB_INV_CONTEXT, "asid=0x1;vmid=0x2;ats=1;sid=0x3;ssid=0x4;force_sync=1;sync_cs=0", request);
        inputs.parse(UnmapOp.TLB_INV_CONTEXT, "asid=0x1;vmid=0x0;ats=0;force_sync=0;sync_cs=2", request);
        assertFalse(request.ats());
        assertEquals(0, request.sid());
        assertEquals(0, request.ssid());
        assertFalse(inputs.forceSync());
        assertEquals(CmdSyncCompletion.LINUX, inputs.completion());
    }

    @Test
    void badInputsAreNamed()
    {
        refused(UnmapOp.ATC_INV, "sid=0x1;ssid=0x0;iova=0x0;size=0x0;granule=0x1000;force_sync=0;sync_cs=2",
            "unknown input key 'granule' for op atc_inv");
        refused(UnmapOp.ATC_INV, "sid=0x1;ssid=0x0;iova=0x0;force_sync=0;sync_cs=2", "'size' missing");
        refused(UnmapOp.ATC_INV, "sid=0x1;sid=0x2;ssid=0x0;iova=0x0;size=0x0;force_sync=0;sync_cs=2", "'sid' given twice");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid=0x1;vmid=0x0;ats=1;force_sync=0;sync_cs=2", "'sid' missing");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid=0x1;vmid=0x0;ats=0;sid=0x1;ssid=0x0;force_sync=0;sync_cs=2", "ats=0");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid=0x1;vmid=0x0;ats=0;force_sync=0;sync_cs=1", "sync_cs=1");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid=0x1;vmid=0x0;ats=0;force_sync=3;sync_cs=2", "force_sync=3");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid=0x10000;vmid=0x0;ats=0;force_sync=0;sync_cs=2", "asid=0x10000");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid=zz;vmid=0x0;ats=0;force_sync=0;sync_cs=2", "asid='zz'");
        refused(UnmapOp.TLB_INV_CONTEXT, "asid;vmid=0x0", "not name=value");
    }

    private void refused(final UnmapOp op, final String text, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> inputs.parse(op, text, request));
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
    }
}
