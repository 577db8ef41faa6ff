package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.guest.GuestSmmu;
import dev.cmdq.vcmdq.vmm.Vsmmu;

/**
 * One vSMMU of a {@link Vm} as the testbed wired it: the VMM's {@link Vsmmu} (its emulated CMDQ is always
 * there, trapped), the guest driver over that CMDQ, and on the VCMDQ path the HW queues mapped into the
 * guest with the guest driver over them.
 *
 * <pre>
 *   trapped (fanned out)                      VCMDQ (one per physical SMMU)
 *   guest --emulated CMDQ--&gt; Vsmmu ---&gt; vIOMMU per pSMMU       guest --VCMDQ 0..n-1 (mapped)--&gt; pSMMU k
 *                                                           guest --emulated CMDQ--&gt; Vsmmu --&gt; vIOMMU on pSMMU k
 * </pre>
 *
 * Immutable once published by the VM; safe to read from any thread.
 */
public final class VmSmmu
{
    private final int index;
    private final int physicalSmmu;
    private final Vsmmu vsmmu;
    private final long cmdqGpa;
    private final GuestSmmu emulated;
    private final GuestSmmu vcmdqs;
    private final int[] hwQueueIds;
    private final long[] vcmdqGpas;
    private final QueueRegisters[] vcmdqRegisters;
    private final int veventqId;

    VmSmmu(
        final int index,
        final int physicalSmmu,
        final Vsmmu vsmmu,
        final long cmdqGpa,
        final GuestSmmu emulated,
        final GuestSmmu vcmdqs,
        final int[] hwQueueIds,
        final long[] vcmdqGpas,
        final QueueRegisters[] vcmdqRegisters,
        final int veventqId)
    {
        this.index = index;
        this.physicalSmmu = physicalSmmu;
        this.vsmmu = vsmmu;
        this.cmdqGpa = cmdqGpa;
        this.emulated = emulated;
        this.vcmdqs = vcmdqs;
        this.hwQueueIds = hwQueueIds;
        this.vcmdqGpas = vcmdqGpas;
        this.vcmdqRegisters = vcmdqRegisters;
        this.veventqId = veventqId;
    }

    /**
     * @return its index in the VM.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return the physical SMMU it copies (VCMDQ path), or -1 for a fanned-out vSMMU.
     */
    public int physicalSmmu()
    {
        return physicalSmmu;
    }

    /**
     * @return the VMM's vSMMU (MMIO front-end, topology, counters).
     */
    public Vsmmu vsmmu()
    {
        return vsmmu;
    }

    /**
     * @return guest-physical address of the emulated CMDQ's ring.
     */
    public long cmdqGpa()
    {
        return cmdqGpa;
    }

    /**
     * @return the guest driver over the emulated (trapped) CMDQ.
     */
    public GuestSmmu emulated()
    {
        return emulated;
    }

    /**
     * @return the guest driver over the VCMDQs, or null on the trapped path.
     */
    public GuestSmmu vcmdqs()
    {
        return vcmdqs;
    }

    /**
     * @return the driver Linux uses for the modelled invalidations: the VCMDQs when present, else the
     *         emulated CMDQ.
     */
    public GuestSmmu guest()
    {
        return vcmdqs != null ? vcmdqs : emulated;
    }

    /**
     * @return logical VCMDQs mapped into the guest (0 on the trapped path).
     */
    public int vcmdqCount()
    {
        return hwQueueIds.length;
    }

    /**
     * @param lvcmdq a logical VCMDQ index.
     * @return its HW queue's iommufd ID.
     */
    public int hwQueueId(final int lvcmdq)
    {
        checkVcmdq(lvcmdq);
        return hwQueueIds[lvcmdq];
    }

    /**
     * @param lvcmdq a logical VCMDQ index.
     * @return guest-physical address of its ring.
     */
    public long vcmdqGpa(final int lvcmdq)
    {
        checkVcmdq(lvcmdq);
        return vcmdqGpas[lvcmdq];
    }

    /**
     * @param lvcmdq a logical VCMDQ index.
     * @return its mapped PROD/CONS/GERROR/GERRORN, as the guest sees them (no trap).
     */
    public QueueRegisters vcmdqRegisters(final int lvcmdq)
    {
        checkVcmdq(lvcmdq);
        return vcmdqRegisters[lvcmdq];
    }

    /**
     * @return the vEVENTQ's iommufd ID (VCMDQ path), or 0.
     */
    public int veventqId()
    {
        return veventqId;
    }

    int[] hwQueueIds()
    {
        return hwQueueIds;
    }

    private void checkVcmdq(final int lvcmdq)
    {
        if (lvcmdq < 0 || lvcmdq >= hwQueueIds.length)
        {
            throw new IndexOutOfBoundsException("lvcmdq=" + lvcmdq + " is outside 0.." + (hwQueueIds.length - 1) +
                " (" + hwQueueIds.length + " VCMDQs on vSMMU " + index + ")");
        }
    }

    @Override
    public String toString()
    {
        return "VmSmmu{" + index + ", pSMMU " + physicalSmmu + ", " + hwQueueIds.length + " VCMDQs}";
    }
}
