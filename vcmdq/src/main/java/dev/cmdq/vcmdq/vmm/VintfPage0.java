package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.IommufdBackend;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The guest's VINTF page 0 as QEMU maps it (vcmdq-viommu.md §1.10): the host's mmap of the VINTF's
 * page 0 installed at the emulated aperture's 0x30000, so a guest driver's PROD, CONS, CONFIG, STATUS,
 * GERROR and GERRORN accesses go straight to the hardware queue and never exit.
 *
 * <pre>
 *   guest vCPU --registers(l)--&gt; QueueRegisters of HW queue l     (mapped: no exit, no lock, no VMM code)
 *              --writeConfig(l)/status(l)--&gt; the same mapping's CONFIG / STATUS
 *   VMM (under the vSMMU lock) --map(l, id) / unmap(l)--&gt; which HW queue backs logical VCMDQ l
 * </pre>
 *
 * <p>A slot without a HW queue (never allocated, allocation refused, or freed) has no hardware behind
 * it; the real hardware drops such accesses silently, this model refuses them with an exception naming
 * the slot so a test cannot mistake a dropped write for a working queue.
 *
 * <p><b>Threads.</b> The VMM changes the backing under its lock; any vCPU thread looks it up (volatile
 * array elements). The returned registers are the hardware's own (acquire/release words).
 */
public final class VintfPage0
{
    private final IommufdBackend backend;
    private final AtomicCounter mappedAccesses;
    private final AtomicIntegerArray hwQueueIds = new AtomicIntegerArray(CmdqvAperture.LVCMDQS);
    private final AtomicIntegerArray configs = new AtomicIntegerArray(CmdqvAperture.LVCMDQS);

    /**
     * @param backend        the host's iommufd, whose mmap this is.
     * @param mappedAccesses where {@link #countedRegisters} counts.
     */
    public VintfPage0(final IommufdBackend backend, final AtomicCounter mappedAccesses)
    {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.mappedAccesses = Objects.requireNonNull(mappedAccesses, "mappedAccesses");
    }

    /**
     * @param lidx logical VCMDQ, {@code 0 .. }{@value CmdqvAperture#LVCMDQS}{@code -1}.
     * @return its mapped PROD, CONS, GERROR and GERRORN.
     * @throws IllegalArgumentException naming {@code lidx} when out of range.
     * @throws IllegalStateException    naming {@code lidx} when it has no HW queue.
     */
    public QueueRegisters registers(final int lidx)
    {
        return backend.hwQueueRegisters(hwQueueId(lidx, "registers"));
    }

    /**
     * The same registers with every access counted (for reports; see {@link CountedQueueRegisters}).
     *
     * @param lidx logical VCMDQ.
     * @return the counted view of {@link #registers(int)}.
     * @throws IllegalArgumentException naming {@code lidx} when out of range.
     * @throws IllegalStateException    naming {@code lidx} when it has no HW queue.
     */
    public QueueRegisters countedRegisters(final int lidx)
    {
        return new CountedQueueRegisters(registers(lidx), mappedAccesses);
    }

    /**
     * A store to the mapped CONFIG (bit 0 CMDQ_EN): the guest enables or disables its queue itself.
     *
     * @param lidx  logical VCMDQ.
     * @param value the new CONFIG.
     * @throws IllegalArgumentException naming {@code lidx} when out of range.
     * @throws IllegalStateException    naming {@code lidx} when it has no HW queue.
     */
    public void writeConfig(final int lidx, final int value)
    {
        final int id = hwQueueId(lidx, "CONFIG");
        configs.set(lidx, value);
        backend.writeHwQueueConfig(id, value);
    }

    /**
     * @param lidx logical VCMDQ.
     * @return the mapped STATUS (bit 0 CMDQ_EN_OK).
     * @throws IllegalArgumentException naming {@code lidx} when out of range.
     * @throws IllegalStateException    naming {@code lidx} when it has no HW queue.
     */
    public int status(final int lidx)
    {
        return backend.hwQueueStatus(hwQueueId(lidx, "STATUS"));
    }

    /**
     * @param lidx logical VCMDQ.
     * @return the last CONFIG stored through the mapping (the model's CONFIG reads back what was written).
     */
    public int config(final int lidx)
    {
        check(lidx);
        return configs.get(lidx);
    }

    /**
     * @param lidx logical VCMDQ.
     * @return the iommufd ID of the HW queue behind it, or 0 for none.
     * @throws IllegalArgumentException naming {@code lidx} when out of range.
     */
    public int hwQueueId(final int lidx)
    {
        check(lidx);
        return hwQueueIds.get(lidx);
    }

    /**
     * @param lidx logical VCMDQ.
     * @return true when a HW queue backs it.
     */
    public boolean isMapped(final int lidx)
    {
        return hwQueueId(lidx) != 0;
    }

    void map(final int lidx, final int hwQueueId)
    {
        configs.set(lidx, 0);
        hwQueueIds.set(lidx, hwQueueId);
    }

    void unmap(final int lidx)
    {
        hwQueueIds.set(lidx, 0);
        configs.set(lidx, 0);
    }

    private int hwQueueId(final int lidx, final String what)
    {
        final int id = hwQueueId(lidx);
        if (id == 0)
        {
            throw new IllegalStateException("lidx=" + lidx + " has no HW queue, so its mapped " + what +
                " reaches no hardware (set CMDQV_EN, VINTF0 ENABLE, CMDQ_ALLOC_MAP.ALLOC and BASE first)");
        }
        return id;
    }

    private static void check(final int lidx)
    {
        if (lidx < 0 || lidx >= CmdqvAperture.LVCMDQS)
        {
            throw new IllegalArgumentException("lidx=" + lidx + " is outside the VINTF's logical VCMDQs 0.." +
                (CmdqvAperture.LVCMDQS - 1));
        }
    }
}
