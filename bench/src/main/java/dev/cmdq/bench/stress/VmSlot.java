package dev.cmdq.bench.stress;

import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.testbed.GuestPath;
import dev.cmdq.vcmdq.testbed.Vm;

/**
 * The harness's independent model of one VM slot: the live VM, the physical SMMU its devices sit behind,
 * the VMID the host gave it there (as recorded at attach), its devices (vSID and pSID, as the harness
 * chose them) and every cache entry it planted that has not yet been invalidated by its own commands —
 * i.e. what must still be cached — and the issue side of the exactly-once books: how many commands of
 * each owner (the VMID, each device's pSID) it issued with an OK result since the owner was last settled
 * against the {@link ExecutionLedger}. Touched only by the worker that owns the slot.
 */
final class VmSlot
{
    /** Devices a VM has at most. */
    static final int MAX_DEVICES = 4;
    /** TLB entries a VM keeps planted at most. */
    static final int MAX_TLB = 16;
    /** ATC entries a VM keeps planted at most. */
    static final int MAX_ATC = 8;

    final int index;
    final int smmu;
    final GuestPath path;
    Vm vm;
    String name;
    int generation;
    int vmid;
    long nextVsid;

    final long[] vsids = new long[MAX_DEVICES];
    final long[] psids = new long[MAX_DEVICES];
    final HostDevice[] devices = new HostDevice[MAX_DEVICES];
    /** ATC_INVs of each device issued OK since its pSID was attached. */
    final long[] atcIssued = new long[MAX_DEVICES];
    int deviceCount;

    /** TLBI_NH_ASIDs issued OK since the VM was created. */
    long tlbiIssued;
    /**
     * False after an issue that failed (timeout, refusal): its command may have executed, or may still,
     * so this VM's books cannot be compared exactly (that failure is already a violation).
     */
    boolean booksExact;

    final int[] tlbAsid = new int[MAX_TLB];
    final long[] tlbVa = new long[MAX_TLB];
    int tlbCount;

    final long[] atcPsid = new long[MAX_ATC];
    final long[] atcAddress = new long[MAX_ATC];
    int atcCount;

    /**
     * @param index the slot number.
     * @param smmu  the physical SMMU of its devices.
     * @param path  the guest path of every VM in this slot.
     */
    VmSlot(final int index, final int smmu, final GuestPath path)
    {
        this.index = index;
        this.smmu = smmu;
        this.path = path;
    }

    void removeTlb(final int i)
    {
        tlbCount--;
        tlbAsid[i] = tlbAsid[tlbCount];
        tlbVa[i] = tlbVa[tlbCount];
    }

    void removeAtc(final int i)
    {
        atcCount--;
        atcPsid[i] = atcPsid[atcCount];
        atcAddress[i] = atcAddress[atcCount];
    }

    void removeDevice(final int i)
    {
        deviceCount--;
        vsids[i] = vsids[deviceCount];
        psids[i] = psids[deviceCount];
        devices[i] = devices[deviceCount];
        atcIssued[i] = atcIssued[deviceCount];
    }

    void clearEntries()
    {
        tlbCount = 0;
        atcCount = 0;
    }

    @Override
    public String toString()
    {
        return name + " (" + path + ", smmu " + smmu + ", vmid " + vmid + ")";
    }
}
