package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.hw.cache.TlbEntryKind;
import dev.cmdq.vcmdq.vmm.TopologyKind;

/**
 * The end-to-end fixture: a platform with two physical SMMUs and two VMs on the same path, each with one
 * device behind each SMMU under the same vSIDs (0x8 behind SMMU 0, 0x9 behind SMMU 1) — so the host's
 * per-vIOMMU SID tables are what keeps them apart — and a {@link CacheBook} filled with entries of both
 * VMs on both SMMUs, tagged by the VMIDs the host assigned (read from its vIOMMUs: configuration).
 *
 * <pre>
 *   vSID   VM A (pSID)     VM B (pSID)      physical SMMU
 *   0x8    0x100           0x300            0
 *   0x9    0x200           0x400            1
 * </pre>
 */
final class TwoVms implements AutoCloseable
{
    static final long VSID0 = 0x8;
    static final long VSID1 = 0x9;
    static final long[][] PSID = {{0x100, 0x200}, {0x300, 0x400}};
    static final int ASID_CONTEXT = 5;
    static final int ASID_RANGE = 6;
    static final int ASID_OTHER = 7;
    static final long RANGE_IOVA = 0x10000;
    static final long RANGE_SIZE = 0x2000;
    static final int SSID = 3;

    final Platform platform;
    final Vm a;
    final Vm b;
    final CacheBook book = new CacheBook();

    TwoVms(final GuestPath path, final TopologyKind topology, final EngineMode mode)
    {
        platform = Platform.builder().smmus(2).engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).build();
        a = platform.createVm(VmConfig.of("vmA", path, 2).withTopology(topology));
        b = platform.createVm(VmConfig.of("vmB", path, 2).withTopology(topology));
        final Vm[] vms = {a, b};
        for (int v = 0; v < 2; v++)
        {
            final HostDevice d0 = platform.bindDevice(0, PSID[v][0]);
            final HostDevice d1 = platform.bindDevice(1, PSID[v][1]);
            vms[v].attach(VSID0, d0);
            vms[v].attach(VSID1, d1);
        }
        for (int v = 0; v < 2; v++)
        {
            for (int smmu = 0; smmu < 2; smmu++)
            {
                fill(smmu, vms[v].vmidOn(smmu), PSID[v][smmu]);
            }
        }
        book.insertInto(platform);
    }

    /** One VM's entries on one SMMU: the TLB under its VMID, its device's ATC and configuration. */
    private void fill(final int smmu, final int vmid, final long psid)
    {
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_CONTEXT, 0x10000, 12, true);
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_CONTEXT, 0x20_0000, 21, true);
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_RANGE, 0x10000, 12, true);
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_RANGE, 0x11000, 12, true);
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_RANGE, 0x12000, 12, true);
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_RANGE, 0x0, 21, false);
        book.tlb(smmu, TlbEntryKind.STAGE1_GLOBAL, vmid, 0, 0x11000, 12, true);
        book.tlb(smmu, TlbEntryKind.STAGE1, vmid, ASID_OTHER, 0x10000, 12, true);
        book.atc(smmu, psid, SSID, 0x4000, 12);
        book.atc(smmu, psid, SSID, 0x8000, 12);
        book.atc(smmu, psid, SSID + 1, 0x4000, 12);
        book.atc(smmu, psid, CacheBook.noSsid(), 0x4000, 12);
        book.ste(smmu, psid);
        book.cd(smmu, psid, SSID);
        book.cd(smmu, psid, SSID + 1);
    }

    @Override
    public void close()
    {
        platform.close();
    }
}
