package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.QueueRegisters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The VMM's vEVENTQ reader over the real host model: an interrupt per report unless VI_INT_MASK masks
 * it, an overflow (LOST_EVENTS marker) answered by rebuilding the error map from the queues, lost events
 * counted from the sequence gap, an all-zero map ignored, and the per-poll bound. The guest's faults are
 * raw forbidden commands written into its ring and published through the mapped PROD.
 */
class CmdqvEventReaderTest
{
    private CmdqvRig rig;
    private final int[] prod = new int[2];

    @AfterEach
    void close()
    {
        rig.close();
    }

    private void start(final int depth)
    {
        rig = new CmdqvRig().mapCmdqv(depth);
        for (int l = 0; l < 2; l++)
        {
            rig.guestAllocate(l);
            rig.guestEnable(l);
        }
    }

    /** One forbidden command (TLBI_NH_ALL) on queue {@code lidx}: the queue halts, the host posts an event. */
    private void fault(final int lidx)
    {
        rig.put(lidx, prod[lidx], 0x10, 0);
        prod[lidx]++;
        rig.vsmmu.vcmdqRegisters(lidx).putProdRelease(prod[lidx]);
        rig.run(2);
        final QueueRegisters q = rig.vsmmu.vcmdqRegisters(lidx);
        assertEquals(1, (q.getGerrorAcquire() ^ q.getGerrornAcquire()) & 1, "queue " + lidx + " halted");
    }

    /** The guest's repair: the slot at CONS becomes a CMD_SYNC, GERRORN := GERROR. */
    private void repair(final int lidx)
    {
        final QueueRegisters q = rig.vsmmu.vcmdqRegisters(lidx);
        rig.put(lidx, q.getConsAcquire() & 0xFFFFF, VintfPage0Test.VCMDQ_SYNC_DW0, 0);
        q.putGerrornRelease(q.getGerrorAcquire());
        rig.run(2);
        assertEquals(prod[lidx], q.getConsAcquire() & 0xFFFFF, "queue " + lidx + " resumed");
    }

    private long lvcmdqErrMap()
    {
        return rig.vsmmu.mmioRead(CmdqvRig.CMDQV_BASE + CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP, 8);
    }

    @Test
    void aMaskedReportSetsTheMapsWithoutAnInterrupt()
    {
        start(8);
        rig.write(CmdqvAperture.VI_INT_MASK, 1);
        fault(0);
        assertEquals(1, rig.vsmmu.pollEvents());
        assertEquals(1, lvcmdqErrMap());
        assertEquals(1, rig.read(CmdqvAperture.VI_ERR_MAP));
        assertEquals(0, rig.pulses);
        assertEquals(1, rig.region.counters().maskedInterrupts().get());
        assertEquals(0, rig.region.counters().interrupts().get());

        repair(0);
        rig.write(CmdqvAperture.VI_INT_MASK, 0);
        fault(1);
        assertEquals(1, rig.vsmmu.pollEvents());
        assertEquals(0b10, lvcmdqErrMap(), "the map holds the latest report (QEMU)");
        assertEquals(1, rig.pulses);
        assertEquals(2, rig.region.counters().errorReports().get());
    }

    @Test
    void anOverflowRebuildsTheMapFromTheQueuesAndTheGapCountsTheLostEvents()
    {
        start(1);
        fault(0);   // sequence 0, queued
        fault(1);   // sequence 1, dropped: the vEVENTQ holds one event
        assertEquals(2, rig.vsmmu.pollEvents(), "the event and the LOST_EVENTS marker");
        assertEquals(1, rig.region.counters().overflows().get());
        assertEquals(0b11, lvcmdqErrMap(), "rebuilt: both queues are halted");
        assertEquals(0b11, rig.read(CmdqvAperture.CMDQ_ERR_MAP));
        assertEquals(2, rig.pulses, "the event's interrupt and the rebuilt map's");

        repair(0);
        repair(1);
        fault(0);   // sequence 2: the marker named 1 as the first lost one
        assertEquals(1, rig.vsmmu.pollEvents());
        assertEquals(1, rig.region.counters().lostEvents().get(), "sequence 1 never arrived");
        assertEquals(0b01, lvcmdqErrMap());
        assertEquals(3, rig.pulses);
    }

    @Test
    void aPollHandlesAtMostItsBoundAndTheRestNextTime()
    {
        start(128);
        final int faults = CmdqvEventReader.MAX_RECORDS_PER_POLL + 6;
        for (int i = 0; i < faults; i++)
        {
            fault(0);
            repair(0);
        }
        assertEquals(CmdqvEventReader.MAX_RECORDS_PER_POLL, rig.vsmmu.pollEvents());
        assertEquals(6, rig.vsmmu.pollEvents());
        assertEquals(0, rig.vsmmu.pollEvents());
        assertEquals(faults, rig.pulses);
        assertEquals(0, rig.region.counters().lostEvents().get());
    }

    @Test
    void anAllZeroMapChangesNothing()
    {
        start(8);
        assertEquals(false, rig.region.reportErrors(0, 0));
        assertEquals(false, rig.region.resyncErrors(), "no queue in error");
        assertEquals(0, rig.read(CmdqvAperture.VI_ERR_MAP));
        assertEquals(0, rig.pulses);
        assertEquals(0, rig.vsmmu.pollEvents(), "nothing pending");
        assertEquals(true, rig.region.reportErrors(0, 1L << 63));
        assertEquals(0x8000_0000, rig.read(CmdqvAperture.VINTF0_LVCMDQ_ERR_MAP + 12), "bit 127 in word 3");
        assertEquals(0x8000_0000, rig.read(CmdqvAperture.CMDQ_ERR_MAP + 12));
    }
}
