package dev.cmdq.vcmdq.host;

import dev.cmdq.vcmdq.host.uapi.VeventHeader;
import dev.cmdq.vcmdq.host.uapi.VeventTegra241Cmdqv;
import org.agrona.MutableDirectBuffer;

/**
 * A vEVENTQ of type TEGRA241_CMDQV ({@code IOMMU_VEVENTQ_ALLOC}, vcmdq-viommu.md §3.8): the host's error
 * interrupt handler posts the guest VINTF's 128-bit LVCMDQ_ERR_MAP here (§1.9 step 2) and the VMM reads
 * one record per {@link #read}: a {@link VeventHeader} (flags, sequence) followed by a
 * {@link VeventTegra241Cmdqv} payload.
 *
 * <p>Every posted event takes the next sequence number (0..INT_MAX, wrapping to 0), delivered or not, so
 * the VMM sees lost events as a gap. When the queue already holds {@code depth} events a new one is
 * dropped and, once the queued ones are read, a header-only record with LOST_EVENTS marks the overflow.
 *
 * <p>Posting happens on the SMMU engine's thread, reading on the VMM's: both synchronise on the instance.
 * That is the error path only, never the command hot path.
 */
public final class Veventq
{
    /** {@code IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV}. */
    public static final int TYPE_TEGRA241_CMDQV = 2;
    /** {@code IOMMU_VEVENTQ_TYPE_ARM_SMMUV3}. */
    public static final int TYPE_ARM_SMMUV3 = 1;
    /** Header flag: events were lost at this point. */
    public static final int FLAG_LOST_EVENTS = 1;
    /** Bytes of a full record: header and payload. */
    public static final int RECORD_BYTES = VeventHeader.SIZE + VeventTegra241Cmdqv.SIZE;

    private final int id;
    private final Viommu viommu;
    private final int depth;
    private final long[] map0;
    private final long[] map1;
    private final int[] sequences;
    private final VeventHeader header = new VeventHeader();
    private final VeventTegra241Cmdqv payload = new VeventTegra241Cmdqv();
    private long head;
    private long tail;
    private int nextSequence;
    private boolean lost;
    private int lostSequence;
    private long posted;
    private long dropped;

    Veventq(final int id, final Viommu viommu, final int depth)
    {
        this.id = id;
        this.viommu = viommu;
        this.depth = depth;
        this.map0 = new long[depth];
        this.map1 = new long[depth];
        this.sequences = new int[depth];
    }

    /**
     * The interrupt handler's post.
     *
     * @param lvcmdqErrMap0 LVCMDQ_ERR_MAP bits 63:0.
     * @param lvcmdqErrMap1 LVCMDQ_ERR_MAP bits 127:64.
     */
    synchronized void post(final long lvcmdqErrMap0, final long lvcmdqErrMap1)
    {
        final int sequence = nextSequence;
        nextSequence = sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
        posted++;
        if (tail - head == depth)
        {
            dropped++;
            if (!lost)
            {
                lost = true;
                lostSequence = sequence;
            }
            return;
        }
        final int i = (int)(tail % depth);
        map0[i] = lvcmdqErrMap0;
        map1[i] = lvcmdqErrMap1;
        sequences[i] = sequence;
        tail++;
    }

    /**
     * Reads the oldest record, as a {@code read()} on the vEVENTQ's file descriptor would.
     *
     * @param buffer where the record goes.
     * @param offset byte offset in it; {@value #RECORD_BYTES} bytes must fit.
     * @return bytes written: {@value #RECORD_BYTES} for an event, {@value VeventHeader#SIZE} for a
     *         LOST_EVENTS marker, 0 when there is nothing to read.
     * @throws IllegalArgumentException naming {@code offset} when a record would not fit.
     */
    public synchronized int read(final MutableDirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset > buffer.capacity() - RECORD_BYTES)
        {
            throw new IllegalArgumentException("offset=" + offset + ": a " + RECORD_BYTES +
                "-byte record does not fit a buffer of " + buffer.capacity());
        }
        if (head != tail)
        {
            final int i = (int)(head % depth);
            header.wrap(buffer, offset);
            header.flags(0).sequence(sequences[i]);
            payload.wrap(buffer, offset + VeventHeader.SIZE);
            payload.lvcmdqErrMap0(map0[i]).lvcmdqErrMap1(map1[i]);
            head++;
            return RECORD_BYTES;
        }
        if (lost)
        {
            lost = false;
            header.wrap(buffer, offset);
            header.flags(FLAG_LOST_EVENTS).sequence(lostSequence);
            return VeventHeader.SIZE;
        }
        return 0;
    }

    /**
     * @return iommufd object ID.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the vIOMMU it reports for.
     */
    public Viommu viommu()
    {
        return viommu;
    }

    /**
     * @return events it can hold.
     */
    public int depth()
    {
        return depth;
    }

    /**
     * @return events posted (delivered or dropped).
     */
    public synchronized long posted()
    {
        return posted;
    }

    /**
     * @return events dropped because the queue was full.
     */
    public synchronized long dropped()
    {
        return dropped;
    }

    @Override
    public String toString()
    {
        return "Veventq{id=" + id + ", viommu=" + viommu.id() + ", depth=" + depth + "}";
    }
}
