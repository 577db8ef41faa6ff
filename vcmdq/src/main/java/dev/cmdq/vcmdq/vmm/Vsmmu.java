package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.vcmdq.host.IommufdBackend;
import org.agrona.concurrent.status.CountersManager;

import java.util.Arrays;
import java.util.Objects;

/**
 * One emulated SMMUv3 as a VMM runs it for a VM: the MMIO front-end that every guest register access
 * exits into, the trap handler it runs, the topology of vIOMMUs behind it, its counters and modelled
 * costs.
 *
 * <pre>
 *   guest access --exit--&gt; mmioRead/mmioWrite(address, width)    charge VM_EXIT, count a trap
 *                           +- lock (QEMU's big lock serialises MMIO exits)
 *                              +- region by address:
 *                                 [0, 0x20000)      SmmuRegisterPage -- PROD/CR0/GERRORN --&gt; TrapHandler
 *                                 [base, base+len)  regions added by {@link #mapRegion} (the CMDQV pages)
 *                                 elsewhere         read 0 / write ignored, counted
 * </pre>
 *
 * <p><b>Threads.</b> Any vCPU thread may exit into it; one at a time holds the lock and runs the trap
 * handler (the emulated CMDQ's one consumer at a time). {@link #attach} (hot-plug) takes the same lock.
 * The counters may be read by any thread at any time.
 */
public final class Vsmmu
{
    private final VsmmuConfig config;
    private final Object lock = new Object();
    private final VsmmuTopology topology;
    private final CostMeter meter;
    private final VsmmuCounters counters;
    private final QueueCounters cmdqCounters;
    private final SmmuRegisterPage smmuPage;
    private final TrappingQueueRegisters cmdqRegisters;
    private long[] regionBases = new long[0];
    private long[] regionLengths = new long[0];
    private MmioRegion[] regions = new MmioRegion[0];

    /**
     * @param config       what to build.
     * @param memory       the VM's RAM (the guest CMDQ lives in it).
     * @param backend      the host's iommufd.
     * @param steInstaller how CFGI_STE re-installs a device's STE on the host.
     * @param meter        charges the modelled exit and syscall costs.
     * @param counters     where the vSMMU's and its queue's counters are allocated.
     */
    public Vsmmu(
        final VsmmuConfig config,
        final GuestMemory memory,
        final IommufdBackend backend,
        final SteInstaller steInstaller,
        final CostMeter meter,
        final CountersManager counters)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.topology = new VsmmuTopology(config.topology(), backend, config.name());
        this.counters = new VsmmuCounters(counters, config.name());
        this.cmdqCounters = new QueueCounters(counters, config.name() + " cmdq");
        final EmulatedCmdq cmdq = new EmulatedCmdq(config.identity().cmdqLog2Max());
        final InvalidationForwarder forwarder = new InvalidationForwarder(
            backend, topology, config.forwarding(), config.batchEntries(), meter, this.counters, cmdqCounters);
        final TrapHandler handler = new TrapHandler(
            memory, config.identity().ats(), cmdq, forwarder, steInstaller, topology, meter, cmdqCounters, this.counters);
        this.smmuPage = new SmmuRegisterPage(config.identity(), cmdq, handler, this.counters);
        this.cmdqRegisters = new TrappingQueueRegisters(this);
    }

    /**
     * A guest read that exits: one {@link CostKind#VM_EXIT}, one trap, under the lock.
     *
     * @param address byte offset in the vSMMU's MMIO space.
     * @param width   4 or 8 (anything else reads 0).
     * @return the value, zero-extended; 0 for an address no region implements.
     */
    public long mmioRead(final long address, final int width)
    {
        exit(address);
        synchronized (lock)
        {
            if (address >= 0 && address < SmmuPage0.REGION_SIZE)
            {
                return smmuPage.read((int)address, width);
            }
            final int r = regionOf(address);
            if (r < 0)
            {
                counters.ignoredAccesses().incrementRelease();
                return 0;
            }
            return regions[r].read((int)(address - regionBases[r]), width);
        }
    }

    /**
     * A guest write that exits: one {@link CostKind#VM_EXIT}, one trap, under the lock; a write to
     * CMDQ_PROD, CR0 or GERRORN runs the trap handler before it returns.
     *
     * @param address byte offset in the vSMMU's MMIO space.
     * @param value   the value (low {@code width} bytes).
     * @param width   4 or 8 (anything else is ignored).
     */
    public void mmioWrite(final long address, final long value, final int width)
    {
        exit(address);
        synchronized (lock)
        {
            if (address >= 0 && address < SmmuPage0.REGION_SIZE)
            {
                smmuPage.write((int)address, value, width);
                return;
            }
            final int r = regionOf(address);
            if (r < 0)
            {
                counters.ignoredAccesses().incrementRelease();
                return;
            }
            regions[r].write((int)(address - regionBases[r]), value, width);
        }
    }

    /**
     * Adds an emulated MMIO region — where a CMDQV page handler plugs in (its trapped global pages; a
     * VINTF page 0 mapped into the guest is not a region, it never exits).
     *
     * @param base   first byte, at or above the SMMU region.
     * @param length bytes, {@code 1 .. 2^31-1}.
     * @param region the handler.
     * @throws IllegalArgumentException naming {@code base} when the region overlaps the SMMU pages or
     *                                  another region.
     */
    public void mapRegion(final long base, final long length, final MmioRegion region)
    {
        Objects.requireNonNull(region, "region");
        if (length < 1 || length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("length=" + length + " is not in 1..2^31-1");
        }
        synchronized (lock)
        {
            if (base < SmmuPage0.REGION_SIZE || base + length < base)
            {
                throw new IllegalArgumentException("base=0x" + Long.toHexString(base) + " overlaps the SMMU pages or wraps");
            }
            for (int i = 0; i < regions.length; i++)
            {
                if (base < regionBases[i] + regionLengths[i] && regionBases[i] < base + length)
                {
                    throw new IllegalArgumentException("base=0x" + Long.toHexString(base) + " length=0x" +
                        Long.toHexString(length) + " overlaps the region at 0x" + Long.toHexString(regionBases[i]));
                }
            }
            final int n = regions.length;
            regionBases = Arrays.copyOf(regionBases, n + 1);
            regionLengths = Arrays.copyOf(regionLengths, n + 1);
            regions = Arrays.copyOf(regions, n + 1);
            regionBases[n] = base;
            regionLengths[n] = length;
            regions[n] = region;
        }
    }

    /**
     * Attaches a host device under a guest StreamID (hot-plug), allocating a vIOMMU when the topology
     * needs one; see {@link VsmmuTopology#attach}.
     *
     * @param devId the device's iommufd ID.
     * @param vsid  its guest StreamID.
     * @return the vIOMMU ID its vDEVICE lives in.
     */
    public int attach(final int devId, final long vsid)
    {
        synchronized (lock)
        {
            return topology.attach(devId, vsid);
        }
    }

    /**
     * The vIOMMU on which a guest VCMDQ of this vSMMU would be allocated.
     *
     * @return its ID.
     * @throws VcmdqRefusedException on a fanned-out vSMMU, or before any device is attached.
     */
    public int vcmdqViommu()
    {
        synchronized (lock)
        {
            return topology.vcmdqViommu();
        }
    }

    /**
     * @return the trapping registers of the emulated CMDQ, for a guest driver written against
     *         {@code QueueRegisters}.
     */
    public TrappingQueueRegisters cmdqRegisters()
    {
        return cmdqRegisters;
    }

    /**
     * @return the topology; read it under no concurrent {@link #attach}.
     */
    public VsmmuTopology topology()
    {
        return topology;
    }

    /**
     * @return the vSMMU's counters.
     */
    public VsmmuCounters counters()
    {
        return counters;
    }

    /**
     * @return the emulated CMDQ's counters.
     */
    public QueueCounters cmdqCounters()
    {
        return cmdqCounters;
    }

    /**
     * @return the meter its costs are charged to.
     */
    public CostMeter meter()
    {
        return meter;
    }

    /**
     * @return how it was built.
     */
    public VsmmuConfig config()
    {
        return config;
    }

    @Override
    public String toString()
    {
        return "Vsmmu{" + config.name() + ", " + config.topology() + ", " + config.forwarding() + ", " +
            meter.costs() + "}";
    }

    private void exit(final long address)
    {
        meter.charge(CostKind.VM_EXIT);
        counters.totals().traps().increment();
        if (address >= 0 && address < SmmuPage0.REGION_SIZE)
        {
            cmdqCounters.traps().increment();
        }
    }

    private int regionOf(final long address)
    {
        for (int i = 0; i < regions.length; i++)
        {
            if (address >= regionBases[i] && address - regionBases[i] < regionLengths[i])
            {
                return i;
            }
        }
        return -1;
    }
}
