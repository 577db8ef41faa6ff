package dev.cmdq.vcmdq.vmm;

import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.Veventq;
import dev.cmdq.vcmdq.host.uapi.VeventHeader;
import dev.cmdq.vcmdq.host.uapi.VeventTegra241Cmdqv;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The VMM's end of a TEGRA241_CMDQV vEVENTQ (vcmdq-viommu.md §1.9 step 3, §3.8): QEMU's
 * {@code tegra241_cmdqv_event_read}, called from the VMM's event loop. Each {@link #poll()} drains the
 * pending records with non-blocking reads and hands every error map to the {@link CmdqvRegion}.
 *
 * <pre>
 *   record = header {flags u32, sequence u32} [+ payload {lvcmdq_err_map le64[2]}]
 *   full record, sequence as expected      -&gt; region.reportErrors(map0, map1)
 *   full record, sequence ahead by n       -&gt; n events lost (counted), then reportErrors
 *   header only, flags has LOST_EVENTS     -&gt; overflow (counted): region.resyncErrors() rebuilds the map
 *                                             from the queues; the marker's sequence is the first lost one
 *   anything else (short record)           -&gt; treated as an overflow
 * </pre>
 *
 * <p>Not thread-safe: called under the vSMMU's lock. Allocation-free once built (one reusable record
 * buffer and two flyweights).
 */
public final class CmdqvEventReader
{
    /** Most records one {@link #poll()} handles, so an event storm cannot hold the vSMMU's lock unbounded. */
    public static final int MAX_RECORDS_PER_POLL = 64;

    private final IommufdBackend backend;
    private final int veventqId;
    private final CmdqvRegion region;
    private final CmdqvCounters counters;
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[Veventq.RECORD_BYTES]);
    private final VeventHeader header = new VeventHeader();
    private final VeventTegra241Cmdqv payload = new VeventTegra241Cmdqv();
    private boolean started;
    private int expectedSequence;

    /**
     * @param backend   the host's iommufd.
     * @param veventqId the TEGRA241_CMDQV vEVENTQ of the region's vIOMMU.
     * @param region    where error maps go.
     */
    public CmdqvEventReader(final IommufdBackend backend, final int veventqId, final CmdqvRegion region)
    {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.veventqId = veventqId;
        this.region = Objects.requireNonNull(region, "region");
        this.counters = region.counters();
        header.wrap(record, 0);
        payload.wrap(record, VeventHeader.SIZE);
    }

    /**
     * Reads every pending record (at most {@value #MAX_RECORDS_PER_POLL}) without blocking.
     *
     * @return records handled; 0 when none was pending.
     */
    public int poll()
    {
        int handled = 0;
        while (handled < MAX_RECORDS_PER_POLL)
        {
            final int bytes = backend.readVevent(veventqId, record, 0);
            if (bytes == 0)
            {
                break;
            }
            handled++;
            if (bytes == Veventq.RECORD_BYTES)
            {
                onEvent(header.sequence(), payload.lvcmdqErrMap0(), payload.lvcmdqErrMap1());
            }
            else
            {
                onOverflow(bytes == VeventHeader.SIZE && (header.flags() & Veventq.FLAG_LOST_EVENTS) != 0);
            }
        }
        return handled;
    }

    /**
     * @return the vEVENTQ's ID.
     */
    public int veventqId()
    {
        return veventqId;
    }

    private void onEvent(final int sequence, final long map0, final long map1)
    {
        if (started && sequence != expectedSequence)
        {
            // Sequences run 0..INT_MAX and wrap to 0 (§3.8): the distance is taken modulo 2^31.
            counters.lostEvents().getAndAddRelease((sequence - expectedSequence) & Integer.MAX_VALUE);
        }
        started = true;
        expectedSequence = sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
        region.reportErrors(map0, map1);
    }

    private void onOverflow(final boolean marker)
    {
        counters.overflows().incrementRelease();
        if (marker)
        {
            // The marker carries the first lost sequence: the next event's distance to it is what was lost.
            started = true;
            expectedSequence = header.sequence();
        }
        else
        {
            started = false;
        }
        region.resyncErrors();
    }
}
