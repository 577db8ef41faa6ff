package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One open {@code /dev/iommu} of one VMM ({@link Iommufd#open}): the object-ID namespace and the IOAS
 * guest-memory mapping that Linux keeps per file, over the host-wide state of its {@link Iommufd}
 * (physical SMMUs, main CMDQs, VMID spaces, VINTFs, the SID table), to which every call delegates.
 *
 * <pre>
 *   Iommufd (host-wide: objects[id], VMIDs, VINTFs, SID table, HostCmdq per SMMU)
 *     +- IommufdFile A   owned[id]: the IDs A created     guestMemory: VM A's RAM
 *     +- IommufdFile B   owned[id]: the IDs B created     guestMemory: VM B's RAM
 * </pre>
 *
 * <p><b>Namespace.</b> An HWPT, vIOMMU, vDEVICE, HW queue or vEVENTQ ID this context did not create is
 * {@link Errno#ENOENT} with a message naming the field and ID, as the kernel's {@code iommufd_get_obj}
 * on another file's ID is; set-up and tear-down throw {@link IommufdException}, {@link #invalidate} and
 * {@link #reinstallSte} return {@code -ENOENT}. IDs are never reused by the host, so "created here" is
 * a stable property of an ID. Device IDs ({@code dev_id}) are the exception: the model binds devices
 * host-wide ({@link Iommufd#bindDevice}, before any VM exists) instead of per file as VFIO does, so
 * any context may name any bound device; a device already in another context's vDEVICE is
 * {@link Errno#EEXIST} host-wide, and no context can destroy a device.
 *
 * <p><b>Threads.</b> Set-up and tear-down synchronise on the host, so creating an object and recording
 * it as owned are one step for every other context. The ownership table is an array indexed by ID,
 * published copy-on-write by a volatile (release) store and read by one volatile (acquire) load, so the
 * hot path ({@link #invalidate}) and the mapped-register calls check it without lock or allocation.
 *
 * <p><b>Close</b> ({@link #close}) destroys what the context still owns in the kernel's order — HW
 * queues in descending ID (within a VINTF that is descending index, since allocation is ascending),
 * vEVENTQs, vDEVICEs (each after the host's drain), vIOMMUs, HWPTs — so their VMIDs, VINTFs and SID
 * slots are free for other contexts. Every wait is the host's bounded one: a destroy that times out
 * leaves its object (and what depends on it) owned and the context open; close then throws the first
 * failure with the others suppressed, and may be called again.
 */
public final class IommufdFile implements IommufdBackend
{
    private final Iommufd host;
    /** owned[id]: this context created id and has not destroyed it. Copy-on-write; written under the host's lock. */
    private volatile boolean[] owned = new boolean[16];
    /** Guarded by the host's lock. */
    private GuestMemory guestMemory;
    /** Guarded by the host's lock. */
    private boolean closed;

    IommufdFile(final Iommufd host)
    {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * @param id an object ID.
     * @return true when this context created {@code id} and has not destroyed it (one acquire load).
     */
    public boolean owns(final int id)
    {
        final boolean[] snapshot = owned;
        return id > 0 && id < snapshot.length && snapshot[id];
    }

    @Override
    public int allocNestParent(final int devId)
    {
        synchronized (host)
        {
            checkOpen();
            return own(host.allocNestParent(devId));
        }
    }

    @Override
    public int allocViommu(final ViommuType type, final int devId, final int hwptId)
    {
        Objects.requireNonNull(type, "type");
        synchronized (host)
        {
            checkOpen();
            // The kernel looks dev_id up before hwpt_id: a bad device is reported first.
            host.device(devId);
            checkOwned(hwptId, "hwpt_id");
            return own(host.allocViommu(type, devId, hwptId));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>This context's own mapping: other contexts keep theirs; mapping again replaces it for later
     * HW queue allocations (a queue keeps the memory it was attached to).
     */
    @Override
    public void mapGuestMemory(final GuestMemory memory)
    {
        Objects.requireNonNull(memory, "memory");
        synchronized (host)
        {
            checkOpen();
            guestMemory = memory;
        }
    }

    @Override
    public int allocVdevice(final int viommuId, final int devId, final long virtId)
    {
        synchronized (host)
        {
            checkOpen();
            checkOwned(viommuId, "viommu_id");
            return own(host.allocVdevice(viommuId, devId, virtId));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The ring must lie in this context's mapping ({@link #mapGuestMemory}); otherwise as
     * {@link Iommufd#allocHwQueue}.
     */
    @Override
    public int allocHwQueue(final int viommuId, final int type, final int index, final long nestingParentIova, final long length)
    {
        synchronized (host)
        {
            checkOpen();
            checkOwned(viommuId, "viommu_id");
            return own(host.allocHwQueue(viommuId, type, index, nestingParentIova, length, guestMemory));
        }
    }

    @Override
    public QueueRegisters hwQueueRegisters(final int hwQueueId)
    {
        checkOwned(hwQueueId, "hw_queue_id");
        return host.hwQueueRegisters(hwQueueId);
    }

    @Override
    public void writeHwQueueConfig(final int hwQueueId, final int config)
    {
        checkOwned(hwQueueId, "hw_queue_id");
        host.writeHwQueueConfig(hwQueueId, config);
    }

    @Override
    public int hwQueueStatus(final int hwQueueId)
    {
        checkOwned(hwQueueId, "hw_queue_id");
        return host.hwQueueStatus(hwQueueId);
    }

    @Override
    public int allocVeventq(final int viommuId, final int type, final int depth)
    {
        synchronized (host)
        {
            checkOpen();
            checkOwned(viommuId, "viommu_id");
            return own(host.allocVeventq(viommuId, type, depth));
        }
    }

    @Override
    public int readVevent(final int veventqId, final MutableDirectBuffer buffer, final int offset)
    {
        checkOwned(veventqId, "veventq_id");
        return host.readVevent(veventqId, buffer, offset);
    }

    @Override
    public void destroy(final int id)
    {
        synchronized (host)
        {
            checkOpen();
            checkOwned(id, "id");
            host.destroy(id);
            disown(id);
        }
    }

    @Override
    public int reinstallSte(final int viommuId, final long virtId)
    {
        return host.reinstallSte(viommuId, virtId, this);
    }

    @Override
    public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
    {
        return host.invalidate(header, entries, offset, this);
    }

    /**
     * @param id a vIOMMU ID of this context.
     * @return the vIOMMU (configuration: its VMID, parent, vDEVICEs).
     * @throws IommufdException {@link Errno#ENOENT} naming the ID when this context did not create it or
     *                          it is no vIOMMU.
     */
    public Viommu viommu(final int id)
    {
        checkOwned(id, "viommu_id");
        return host.viommu(id);
    }

    /**
     * Destroys every object this context still owns, in the kernel's order (class Javadoc), then closes
     * the context; later calls fail with {@link Errno#EBADF} (ID-taking hot calls with ENOENT). Idempotent
     * once it succeeded.
     *
     * @throws IommufdException the first destroy that failed (the rest suppressed); the context then
     *                          stays open with what could not be destroyed, and close may be retried.
     */
    @Override
    public void close()
    {
        synchronized (host)
        {
            if (closed)
            {
                return;
            }
            RuntimeException failure = null;
            failure = destroyAll(HwQueue.class, failure);
            failure = destroyAll(Veventq.class, failure);
            failure = destroyAll(Vdevice.class, failure);
            failure = destroyAll(Viommu.class, failure);
            failure = destroyAll(NestParentDomain.class, failure);
            if (failure != null)
            {
                throw failure;
            }
            // What the host's view destroyed behind this context's back is gone too: forget every ID.
            owned = new boolean[16];
            guestMemory = null;
            closed = true;
        }
    }

    /** Destroys the owned objects of one type, highest ID first; keeps going past failures. */
    private RuntimeException destroyAll(final Class<?> type, final RuntimeException failure)
    {
        RuntimeException first = failure;
        final boolean[] snapshot = owned;
        for (int id = snapshot.length - 1; id > 0; id--)
        {
            if (snapshot[id] && type.isInstance(host.objectAt(id)))
            {
                try
                {
                    host.destroy(id);
                    disown(id);
                }
                catch (final RuntimeException e)
                {
                    if (first == null)
                    {
                        first = e;
                    }
                    else
                    {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        return first;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IommufdException(Errno.EBADF, "this iommufd context is closed");
        }
    }

    private void checkOwned(final int id, final String field)
    {
        if (!owns(id))
        {
            throw new IommufdException(Errno.ENOENT, field + "=" + id + " is not an object of this iommufd context");
        }
    }

    /** Records {@code id} as created here; caller holds the host's lock. */
    private int own(final int id)
    {
        final boolean[] current = owned;
        final boolean[] copy = Arrays.copyOf(current, Math.max(current.length, Integer.highestOneBit(id) << 1));
        copy[id] = true;
        owned = copy;
        return id;
    }

    /** Caller holds the host's lock. */
    private void disown(final int id)
    {
        final boolean[] copy = owned.clone();
        copy[id] = false;
        owned = copy;
    }

    @Override
    public String toString()
    {
        int count = 0;
        for (final boolean b : owned)
        {
            count += b ? 1 : 0;
        }
        return "IommufdFile{" + count + " objects" + (closed ? ", closed" : "") + "}";
    }
}
