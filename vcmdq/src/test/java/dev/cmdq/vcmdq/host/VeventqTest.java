package dev.cmdq.vcmdq.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cmdq.vcmdq.host.uapi.VeventHeader;
import dev.cmdq.vcmdq.host.uapi.VeventTegra241Cmdqv;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

/**
 * The vEVENTQ record stream (vcmdq-viommu.md §3.8): header + 16-byte error map per event, sequence
 * numbers counting every posted event, overflow dropping new events with a LOST_EVENTS marker after the
 * queued ones.
 */
class VeventqTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private final VeventHeader header = new VeventHeader();
    private final VeventTegra241Cmdqv payload = new VeventTegra241Cmdqv();

    private static Viommu viommu()
    {
        final VmidAllocator vmids = new VmidAllocator(16);
        final NestParentDomain parent = new NestParentDomain(1, 0, 1);
        return Viommu.allocate(2, ViommuType.TEGRA241_CMDQV, 0, parent, VmidPolicy.S2_DOMAIN, vmids,
            new SidTable(4), 16);
    }

    @Test
    void recordsCarryHeaderAndErrorMapInOrder()
    {
        final Veventq q = new Veventq(7, viommu(), 4);
        q.post(0x1, 0);
        q.post(0x8000_0000_0000_0000L, 0x2);
        assertEquals(24, q.read(buffer, 0));
        header.wrap(buffer, 0);
        payload.wrap(buffer, 8);
        assertEquals(0, header.flags());
        assertEquals(0, header.sequence());
        assertEquals(0x1, payload.lvcmdqErrMap0());
        assertEquals(24, q.read(buffer, 0));
        assertEquals(1, header.sequence());
        assertEquals(0x8000_0000_0000_0000L, payload.lvcmdqErrMap0());
        assertEquals(0x2, payload.lvcmdqErrMap1());
        assertEquals(0, q.read(buffer, 0));
    }

    @Test
    void overflowDropsNewEventsAndMarksTheLossAfterTheQueuedOnes()
    {
        final Veventq q = new Veventq(7, viommu(), 2);
        for (int i = 0; i < 5; i++)
        {
            q.post(i, 0);
        }
        assertEquals(5, q.posted());
        assertEquals(3, q.dropped());
        assertEquals(24, q.read(buffer, 0));
        assertEquals(24, q.read(buffer, 0));
        header.wrap(buffer, 0);
        assertEquals(1, header.sequence());
        assertEquals(8, q.read(buffer, 0), "header only");
        assertEquals(Veventq.FLAG_LOST_EVENTS, header.flags());
        assertEquals(2, header.sequence(), "the first lost event's sequence");
        assertEquals(0, q.read(buffer, 0));
        q.post(9, 0);
        assertEquals(24, q.read(buffer, 0));
        assertEquals(5, header.sequence(), "the gap 2..4 shows the loss");
    }

    @Test
    void aBufferTooSmallIsRefusedNamingTheOffset()
    {
        final Veventq q = new Veventq(7, viommu(), 2);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.read(buffer, 48));
        assertEquals(true, e.getMessage().contains("offset=48"), e.getMessage());
    }
}
