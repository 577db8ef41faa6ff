package dev.cmdq.bench.stress;

import java.util.ArrayDeque;

import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.testbed.Platform;

/**
 * The host devices bound on the platform and attached to no VM, per physical SMMU: a hot-unplugged or
 * torn-down VM's device goes back here once its pSID's books were settled, and the next hot-plug on that
 * SMMU — of any VM — takes the oldest one (first in, first out) before binding a new pSID. So pSIDs are
 * reused across VMs, as passed-through devices move between VMs, and their number stays bounded by the
 * devices attached at once instead of growing with the run (a CMDQV vDEVICE's pSID has 20 bits).
 * Synchronised on itself, never while calling into the platform: workers plug and unplug concurrently.
 */
final class DevicePool
{
    private final Platform platform;
    private final ArrayDeque<HostDevice>[] free;
    private long nextPsid;

    /**
     * @param platform  where new devices are bound.
     * @param firstPsid the pSID of the first device bound; later ones count up.
     */
    @SuppressWarnings("unchecked")
    DevicePool(final Platform platform, final long firstPsid)
    {
        this.platform = platform;
        this.nextPsid = firstPsid;
        this.free = new ArrayDeque[platform.smmuCount()];
        for (int s = 0; s < free.length; s++)
        {
            free[s] = new ArrayDeque<>();
        }
    }

    /**
     * @param smmu the physical SMMU the device must sit behind.
     * @return a device attached to no VM: the longest-free one, else a newly bound one with a fresh pSID.
     */
    HostDevice take(final int smmu)
    {
        final long psid;
        synchronized (this)
        {
            final HostDevice device = free[smmu].pollFirst();
            if (device != null)
            {
                return device;
            }
            psid = nextPsid++;
        }
        // bound outside this lock: a teardown holds the platform's monitor and may give devices back meanwhile
        return platform.bindDevice(smmu, psid);
    }

    /**
     * @param device a device from {@link #take} that is attached to no VM any more, its books settled.
     */
    synchronized void give(final HostDevice device)
    {
        free[device.smmuId()].addLast(device);
    }

}
