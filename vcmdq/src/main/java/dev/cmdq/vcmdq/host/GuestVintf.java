package dev.cmdq.vcmdq.host;

import dev.cmdq.vcmdq.hw.Cmdqv;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;

/**
 * The host driver's state for a VINTF it gave to a TEGRA241_CMDQV vIOMMU (vcmdq-viommu.md §1.10): which
 * VINTF, which SID slot each vDEVICE holds, which logical VCMDQs are HW queues, and the vEVENTQ its
 * errors go to. Set-up and tear-down run under {@link Iommufd}'s lock; the error handler reads the
 * vEVENTQ field from the engine's thread (volatile).
 */
final class GuestVintf
{
    private final PhysicalSmmu smmu;
    private final int index;
    private final Viommu viommu;
    private final int[] slotOwner;
    private final HwQueue[] queues;
    private volatile Veventq veventq;

    GuestVintf(final PhysicalSmmu smmu, final int index, final Viommu viommu)
    {
        this.smmu = smmu;
        this.index = index;
        this.viommu = viommu;
        this.slotOwner = new int[smmu.cmdqv().sidSlots()];
        this.queues = new HwQueue[smmu.cmdqv().lvcmdqsPerVintf()];
    }

    /**
     * Enables the VINTF for the guest: HYP_OWN=0, the vIOMMU's VMID, ENABLE (§1.10 step 1).
     */
    void enable()
    {
        smmu.cmdqv().writeVintfConfig(index, CmdqvLayout.vintfConfig(viommu.vmid(), false, true));
    }

    /**
     * Disables the VINTF and clears every SID slot (§1.10 step 4).
     */
    void disable()
    {
        final Cmdqv cmdqv = smmu.cmdqv();
        cmdqv.writeVintfConfig(index, 0);
        for (int s = 0; s < slotOwner.length; s++)
        {
            cmdqv.clearSidSlot(index, s);
            slotOwner[s] = 0;
        }
    }

    /**
     * @param vdeviceId the vDEVICE taking the slot.
     * @param vsid      its virtual SID.
     * @param psid      its physical SID.
     * @return the slot programmed.
     * @throws IommufdException {@link Errno#ENOSPC} when every slot is taken.
     */
    int programSlot(final int vdeviceId, final long vsid, final long psid)
    {
        for (int s = 0; s < slotOwner.length; s++)
        {
            if (slotOwner[s] == 0)
            {
                smmu.cmdqv().programSidSlot(index, s, vsid, psid);
                slotOwner[s] = vdeviceId;
                return s;
            }
        }
        throw new IommufdException(Errno.ENOSPC, "VINTF " + index + " of smmu " + smmu.smmuId() + " has no free SID slot (" +
            slotOwner.length + " in use)");
    }

    /**
     * @param vdeviceId a vDEVICE of this VINTF.
     * @return its slot, or -1.
     */
    int slotOf(final int vdeviceId)
    {
        for (int s = 0; s < slotOwner.length; s++)
        {
            if (slotOwner[s] == vdeviceId)
            {
                return s;
            }
        }
        return -1;
    }

    void clearSlot(final int slot)
    {
        smmu.cmdqv().clearSidSlot(index, slot);
        slotOwner[slot] = 0;
    }

    PhysicalSmmu smmu()
    {
        return smmu;
    }

    int index()
    {
        return index;
    }

    Viommu viommu()
    {
        return viommu;
    }

    HwQueue queue(final int lvcmdq)
    {
        return queues[lvcmdq];
    }

    void queue(final int lvcmdq, final HwQueue queue)
    {
        queues[lvcmdq] = queue;
    }

    int lvcmdqs()
    {
        return queues.length;
    }

    Veventq veventq()
    {
        return veventq;
    }

    void veventq(final Veventq veventq)
    {
        this.veventq = veventq;
    }

    /**
     * The host's threaded interrupt handler for this VINTF (§1.9 step 2): posts the 128-bit
     * LVCMDQ_ERR_MAP to the vEVENTQ, if there is one.
     *
     * @return true when an event was posted.
     */
    boolean onError()
    {
        final Veventq q = veventq;
        if (q == null)
        {
            return false;
        }
        final Cmdqv cmdqv = smmu.cmdqv();
        final long map0 = (cmdqv.lvcmdqErrMap(index, 0) & 0xFFFF_FFFFL) | ((long)cmdqv.lvcmdqErrMap(index, 1) << 32);
        final long map1 = (cmdqv.lvcmdqErrMap(index, 2) & 0xFFFF_FFFFL) | ((long)cmdqv.lvcmdqErrMap(index, 3) << 32);
        q.post(map0, map1);
        return true;
    }
}
