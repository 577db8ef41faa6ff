package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.vcmdq.host.IommufdBackend;
import dev.cmdq.vcmdq.host.Veventq;
import dev.cmdq.vcmdq.host.ViommuType;
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
 *   guest VCMDQ access ---------&gt; {@link #vcmdqRegisters}(l): the mapped VINTF page 0, no exit, no lock
 *   VMM event loop -------------&gt; {@link #pollEvents()}: vEVENTQ -&gt; emulated error maps -&gt; interrupt
 * </pre>
 *
 * <p><b>CMDQV.</b> A vSMMU built with {@link ViommuType#TEGRA241_CMDQV} vIOMMUs on the per-physical-SMMU
 * topology gets its emulated CMDQV with {@link #mapCmdqv} once its first device is attached (QEMU needs
 * a cold-plugged device per accelerated vSMMU, vcmdq-viommu.md §4.2); a fanned-out vSMMU is refused.
 *
 * <p><b>Threads.</b> Any vCPU thread may exit into it; one at a time holds the lock and runs the trap
 * handler (the emulated CMDQ's one consumer at a time). {@link #attach} (hot-plug) and {@link #detach}
 * (hot-unplug) take the same lock, so a trapped command sees a device either attached or gone.
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
    private final GuestMemory memory;
    private final IommufdBackend backend;
    private final CountersManager countersManager;
    // Written under the lock; volatile so a vCPU finds its mapped window without taking the lock.
    private volatile CmdqvRegion cmdqv;
    private CmdqvEventReader cmdqvEvents;
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
        this(config, memory, backend, steInstaller, meter, counters, ViommuType.ARM_SMMUV3);
    }

    /**
     * @param config       what to build.
     * @param memory       the VM's RAM (the guest CMDQ and the guest's VCMDQ rings live in it).
     * @param backend      the host's iommufd.
     * @param steInstaller how CFGI_STE re-installs a device's STE on the host.
     * @param meter        charges the modelled exit and syscall costs.
     * @param counters     where the vSMMU's and its queue's counters are allocated.
     * @param viommuType   the type of the vIOMMUs behind it: {@link ViommuType#TEGRA241_CMDQV} for a vSMMU
     *                     that will carry an emulated CMDQV ({@link #mapCmdqv}).
     */
    public Vsmmu(
        final VsmmuConfig config,
        final GuestMemory memory,
        final IommufdBackend backend,
        final SteInstaller steInstaller,
        final CostMeter meter,
        final CountersManager counters,
        final ViommuType viommuType)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.countersManager = Objects.requireNonNull(counters, "counters");
        this.topology = new VsmmuTopology(config.topology(), backend, config.name(), viommuType);
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
            checkRegion(base, length);
            final int n = regions.length;
            regionBases = Arrays.copyOf(regionBases, n + 1);
            regionLengths = Arrays.copyOf(regionLengths, n + 1);
            regions = Arrays.copyOf(regions, n + 1);
            regionBases[n] = base;
            regionLengths[n] = length;
            regions[n] = region;
        }
    }

    private void checkRegion(final long base, final long length)
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
     * Detaches the device attached under a guest StreamID (hot-unplug): destroys its vDEVICE on the host
     * and removes its route; see {@link VsmmuTopology#detach}. Afterwards the vSID is treated as one no
     * device was attached with, and may be attached again.
     *
     * @param vsid an attached guest StreamID.
     * @return the vIOMMU ID its vDEVICE was destroyed in.
     * @throws IllegalArgumentException naming {@code vsid} when no device is attached under it.
     * @throws dev.cmdq.vcmdq.host.IommufdException the host's refusal (the device then stays attached).
     */
    public int detach(final long vsid)
    {
        synchronized (lock)
        {
            return topology.detach(vsid);
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
     * Creates the emulated CMDQV (QEMU's {@code tegra241-cmdqv=on}): maps the VM's RAM for HW queues
     * ({@code IOMMU_IOAS_MAP}), allocates the TEGRA241_CMDQV vEVENTQ of the vSMMU's one vIOMMU and maps
     * the trapped {@link CmdqvRegion} at {@code base} for {@value CmdqvAperture#LENGTH} bytes.
     *
     * @param base         where the aperture starts in the vSMMU's MMIO space, at or above the SMMU pages.
     * @param interrupt    the CMDQV's interrupt line into the guest.
     * @param veventqDepth events the vEVENTQ holds, {@code >= 1}.
     * @return the region.
     * @throws VcmdqRefusedException    on a fanned-out vSMMU, before any device is attached, when its
     *                                  vIOMMUs are not TEGRA241_CMDQV, or when the CMDQV already exists.
     * @throws IllegalArgumentException naming {@code base} when the aperture overlaps another region.
     * @throws dev.cmdq.vcmdq.host.IommufdException the host's refusal of the vEVENTQ (nothing is left
     *                                  allocated then).
     */
    public CmdqvRegion mapCmdqv(final long base, final CmdqvInterrupt interrupt, final int veventqDepth)
    {
        Objects.requireNonNull(interrupt, "interrupt");
        synchronized (lock)
        {
            final int viommu = topology.vcmdqViommu();
            if (topology.viommuType() != ViommuType.TEGRA241_CMDQV)
            {
                throw new VcmdqRefusedException("VCMDQ refused on " + config.name() + ": its vIOMMU " + viommu +
                    " is " + topology.viommuType() + ", not TEGRA241_CMDQV (build the vSMMU with TEGRA241_CMDQV)");
            }
            if (cmdqv != null)
            {
                throw new VcmdqRefusedException("VCMDQ refused on " + config.name() + ": its CMDQV is already mapped");
            }
            checkRegion(base, CmdqvAperture.LENGTH);
            backend.mapGuestMemory(memory);
            // The only step that can fail from here on: nothing is allocated before it.
            final int veventq = backend.allocVeventq(viommu, Veventq.TYPE_TEGRA241_CMDQV, veventqDepth);
            final CmdqvRegion region = new CmdqvRegion(backend, viommu, counters,
                new CmdqvCounters(countersManager, config.name()), interrupt);
            mapRegion(base, CmdqvAperture.LENGTH, region);
            cmdqv = region;
            cmdqvEvents = new CmdqvEventReader(backend, veventq, region);
            return region;
        }
    }

    /**
     * The guest's direct window: logical VCMDQ {@code lidx}'s registers in the mapped VINTF page 0. Its
     * accesses never exit and never take the vSMMU's lock.
     *
     * @param lidx logical VCMDQ, {@code 0 .. }{@value CmdqvAperture#LVCMDQS}{@code -1}.
     * @return its mapped PROD, CONS, GERROR and GERRORN.
     * @throws IllegalStateException    when no CMDQV is mapped, or naming {@code lidx} when it has no HW queue.
     * @throws IllegalArgumentException naming {@code lidx} when out of range.
     */
    public QueueRegisters vcmdqRegisters(final int lidx)
    {
        return vintfPage0().registers(lidx);
    }

    /**
     * @return the mapped VINTF page 0 (CONFIG/STATUS of each logical VCMDQ as well as its registers).
     * @throws IllegalStateException when no CMDQV is mapped.
     */
    public VintfPage0 vintfPage0()
    {
        final CmdqvRegion region = cmdqv;
        if (region == null)
        {
            throw new IllegalStateException(config.name() + " has no CMDQV mapped (mapCmdqv first)");
        }
        return region.vintfPage0();
    }

    /**
     * The VMM event loop's step (QEMU's fd handler on the vEVENTQ): reads every pending CMDQV error
     * report without blocking and turns it into the emulated error maps and interrupt. Not an exit.
     *
     * @return records handled; 0 when none was pending or no CMDQV is mapped.
     */
    public int pollEvents()
    {
        synchronized (lock)
        {
            return cmdqvEvents == null ? 0 : cmdqvEvents.poll();
        }
    }

    /**
     * Tears the CMDQV down in the host's order (§3.9): HW queues in descending index, then the vEVENTQ.
     * The region stays mapped but inert (no write allocates again). Idempotent.
     *
     * @throws dev.cmdq.vcmdq.host.IommufdException when the host refuses to destroy the vEVENTQ; a refused
     *                                  HW queue destroy is counted in {@link CmdqvCounters#hostRefusals()}.
     */
    public void closeCmdqv()
    {
        synchronized (lock)
        {
            if (cmdqvEvents == null)
            {
                return;
            }
            cmdqv.close();
            backend.destroy(cmdqvEvents.veventqId());
            cmdqvEvents = null;
        }
    }

    /**
     * @return the emulated CMDQV, or null before {@link #mapCmdqv}.
     */
    public CmdqvRegion cmdqv()
    {
        return cmdqv;
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
     * @return the topology; read it under no concurrent {@link #attach} or {@link #detach}.
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
