package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.host.Iommufd;
import dev.cmdq.vcmdq.host.VmidPolicy;
import dev.cmdq.vcmdq.hw.CommandExecution;
import dev.cmdq.vcmdq.hw.HardwarePolicy;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import dev.cmdq.vcmdq.hw.cache.CacheAssumptions;
import dev.cmdq.vcmdq.hw.cache.SmmuCaches;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The host machine of the testbed: N physical SMMUs with CMDQV, each executing into its own caches
 * ({@link SmmuCaches}, or any {@link CommandExecution}) behind an {@link ExecutionGate}, their engines
 * inline or threaded ({@link EngineMode}), and one host kernel ({@link Iommufd#overHardware}) over all of
 * them with the chosen {@link HostCmdqStrategy} and completion wait. VMs are created on it
 * ({@link #createVm}), each with its own RAM and vSMMUs.
 *
 * <pre>
 *   Platform
 *     +- PhysicalSmmu 0 -- ExecutionGate 0 -- execution 0 (the SMMU's caches)
 *     +- PhysicalSmmu 1 -- ExecutionGate 1 -- execution 1
 *     +- Iommufd.overHardware(smmus): HostCmdq per main CMDQ, CMDQV booted, VMIDs, VINTFs, SID table
 *     +- host devices (devId, smmuId, pSID)           bound with {@link #bindDevice}
 *     +- Vm ...                                        {@link #createVm}
 *          +- IommufdFile (Iommufd.open)               its IDs: HWPTs, vIOMMUs, vDEVICEs, HW queues,
 *                                                      vEVENTQs; its mapping: the VM's RAM
 * </pre>
 *
 * <p><b>One host kernel, one iommufd context per VM.</b> The model's {@code Iommufd} holds host-wide
 * state (VMID spaces, VINTF allocation, the SID table, each main CMDQ's one {@code HostCmdq}, the CMDQV
 * error listener), so all VMs share it, as they share one kernel. Each VM's VMM opens its own context
 * on it ({@link Iommufd#open}, an {@link dev.cmdq.vcmdq.host.IommufdFile}), as a VMM opens
 * {@code /dev/iommu}: the IDs one VM created are ENOENT to another, and each context maps its own VM's
 * RAM once, at creation. Closing a VM closes its context, which destroys whatever it still owns.
 * Devices are bound here, host-wide (the model does not bind them per context as VFIO does): any VM
 * may attach a device no other VM uses. {@link #iommufd()} is the host's own view, which sees every
 * context's objects (for reading configuration such as VMIDs).
 *
 * <p><b>Threads.</b> Set-up and tear-down (create, attach, detach, close of VMs) serialise on this
 * platform; traffic ({@link Vm#unmap}, {@link Vm#issue}) takes no platform lock and may run on any
 * number of threads, one per vCPU. In {@link EngineMode#INLINE} every wait — host CMD_SYNCs inside a
 * trap, guest CONS polls, drains, enables — runs engine duty cycles on the waiting thread
 * ({@link EngineDrivingIdleStrategy}); nothing else moves the hardware. {@link #close()} closes the VMs
 * (guest, then VMM/host objects), then the host context, then the SMMUs.
 */
public final class Platform implements AutoCloseable
{
    private final EngineMode engineMode;
    private final HostCmdqStrategy strategy;
    private final CompletionWait completionWait;
    private final VmidPolicy vmidPolicy;
    private final PhysicalSmmu[] smmus;
    private final ExecutionGate[] gates;
    private final SmmuCaches[] caches;
    private final WaitPolicy wait;
    private final Iommufd iommufd;
    private final List<Vm> vms = new ArrayList<>();
    private final List<HostDevice> devices = new ArrayList<>();
    private boolean closed;

    private Platform(final Builder builder)
    {
        this.engineMode = builder.engineMode;
        this.strategy = builder.strategy;
        this.completionWait = builder.completionWait;
        this.vmidPolicy = builder.vmidPolicy;
        final int n = builder.smmuCount;
        this.smmus = new PhysicalSmmu[n];
        this.gates = new ExecutionGate[n];
        this.caches = builder.execution == null ? new SmmuCaches[n] : null;
        final PhysicalSmmu[] all = smmus;
        this.wait = engineMode == EngineMode.INLINE ?
            new WaitPolicy(builder.waitTimeoutNs, () -> new EngineDrivingIdleStrategy(all), SystemNanoClock.INSTANCE) :
            WaitPolicy.withTimeout(builder.waitTimeoutNs);
        Iommufd host = null;
        try
        {
            for (int i = 0; i < n; i++)
            {
                final CommandExecution execution;
                if (caches != null)
                {
                    caches[i] = new SmmuCaches(builder.tlbCapacity, builder.atcCapacity, builder.configCapacity);
                    execution = caches[i]::execute;
                }
                else
                {
                    execution = Objects.requireNonNull(builder.execution.apply(i), "execution(" + i + ")");
                }
                gates[i] = new ExecutionGate(i, execution);
                smmus[i] = PhysicalSmmu.builder(gates[i])
                    .smmuId(i)
                    .mainCmdqLog2Size(builder.mainCmdqLog2Size)
                    .maxQueueLog2Size(builder.maxQueueLog2Size)
                    .policy(builder.policy)
                    .build();
                if (engineMode == EngineMode.INLINE)
                {
                    smmus[i].startInline();
                }
                else
                {
                    smmus[i].startThreaded();
                }
            }
            host = Iommufd.overHardware(builder.vmidPolicy, builder.strategy, builder.completionWait, wait, smmus);
        }
        catch (final RuntimeException e)
        {
            // Threaded engines may already run and rings are off-heap: stop and free what was made.
            for (final PhysicalSmmu smmu : smmus)
            {
                if (smmu != null)
                {
                    smmu.close();
                }
            }
            throw e;
        }
        this.iommufd = host;
    }

    /**
     * @return a builder with the defaults: 2 SMMUs, inline engines, Linux's lock-free host CMDQ with MSI
     *         write-back completion, mainline VMIDs ({@link VmidPolicy#S2_DOMAIN}), 1 s wait bound,
     *         {@link HardwarePolicy#DEFAULT}, and each SMMU executing into its own {@link SmmuCaches} of
     *         {@value Builder#DEFAULT_CACHE_CAPACITY} entries per cache.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Binds a physical device behind an SMMU (VFIO's bind to iommufd), for VMs to attach.
     *
     * @param smmuId the physical SMMU.
     * @param psid   its physical StreamID.
     * @return the device (its {@code devId} is the iommufd ID).
     */
    public synchronized HostDevice bindDevice(final int smmuId, final long psid)
    {
        checkOpen();
        final HostDevice device = new HostDevice(iommufd.bindDevice(smmuId, psid), smmuId, psid);
        devices.add(device);
        return device;
    }

    /**
     * Creates a VM (RAM, counters; on the trapped path its fanned-out vSMMU). Devices come with
     * {@link Vm#attach}.
     *
     * @param config what to build.
     * @return the VM, registered for {@link #close()}.
     */
    public synchronized Vm createVm(final VmConfig config)
    {
        checkOpen();
        final Vm vm = new Vm(this, config);
        vms.add(vm);
        return vm;
    }

    /**
     * @return the VMs alive now, in creation order.
     */
    public synchronized List<Vm> vms()
    {
        return List.copyOf(vms);
    }

    /**
     * @return the bound host devices, in bind order.
     */
    public synchronized List<HostDevice> devices()
    {
        return List.copyOf(devices);
    }

    /**
     * @return number of physical SMMUs.
     */
    public int smmuCount()
    {
        return smmus.length;
    }

    /**
     * @param smmuId a physical SMMU.
     * @return it (for its CMDQV, engine counters, policy).
     */
    public PhysicalSmmu smmu(final int smmuId)
    {
        checkSmmu(smmuId);
        return smmus[smmuId];
    }

    /**
     * @param smmuId a physical SMMU.
     * @return the gate in front of its caches: fill and inspect them through it; its counters say how many
     *         commands and syncs reached them.
     */
    public ExecutionGate gate(final int smmuId)
    {
        checkSmmu(smmuId);
        return gates[smmuId];
    }

    /**
     * @param smmuId a physical SMMU.
     * @return its caches; touch them only inside {@link #withCaches} / {@link #queryCaches} (or the gate).
     * @throws IllegalStateException when the platform was built with another execution.
     */
    public SmmuCaches caches(final int smmuId)
    {
        checkSmmu(smmuId);
        if (caches == null)
        {
            throw new IllegalStateException("smmu " + smmuId + " executes into a " + gates[smmuId].target().getClass().getName() +
                ", not SmmuCaches (built with Builder.execution)");
        }
        return caches[smmuId];
    }

    /**
     * Fills or inspects an SMMU's caches between two commands (the engine is kept out meanwhile).
     *
     * @param smmuId a physical SMMU.
     * @param action what to do with its caches; must not issue commands.
     */
    public void withCaches(final int smmuId, final Consumer<SmmuCaches> action)
    {
        final SmmuCaches caches = caches(smmuId);
        gates[smmuId].access(() -> action.accept(caches));
    }

    /**
     * As {@link #withCaches}, returning what {@code query} computes.
     *
     * @param smmuId a physical SMMU.
     * @param query  what to compute from its caches.
     * @param <T>    its type.
     * @return the value.
     */
    public <T> T queryCaches(final int smmuId, final Function<SmmuCaches, T> query)
    {
        final SmmuCaches caches = caches(smmuId);
        return gates[smmuId].query(() -> query.apply(caches));
    }

    /**
     * @return the host kernel's own view, which sees every VM's objects (read VMIDs of vIOMMUs from it:
     *         configuration, not output); each VM reaches the host through its own context,
     *         {@link Vm#iommufd()}.
     */
    public Iommufd iommufd()
    {
        return iommufd;
    }

    /**
     * @return how the engines run.
     */
    public EngineMode engineMode()
    {
        return engineMode;
    }

    /**
     * @return the back-off and bound of every host and guest wait (inline: drives the engines).
     */
    public WaitPolicy waitPolicy()
    {
        return wait;
    }

    /**
     * @return what this platform is and every assumption in force, one line each, for reports: the
     *         configuration, the hardware policy, the cache model's choices (when the SMMUs execute into
     *         {@link SmmuCaches}) and the testbed's own.
     */
    public List<String> describe()
    {
        final List<String> lines = new ArrayList<>();
        lines.add("platform=" + smmus.length + " SMMUs, engines " + engineMode + ", host " + strategy + " with " +
            completionWait + ", VMIDs " + vmidPolicy + ", wait bound " + wait.timeoutNs() + " ns");
        lines.addAll(smmus[0].describe());
        if (caches != null)
        {
            lines.addAll(CacheAssumptions.all());
        }
        lines.add("testbed=one host kernel for all VMs, one iommufd context (own object IDs and RAM mapping) per VM; VCMDQ needs one vSMMU per physical SMMU (TEGRA241_CMDQV vIOMMU, " +
            "emulated CMDQ beside it); guest CFGI_STE re-installs the STE through the host (CFGI_STE + sync on the main CMDQ; " +
            "the STE contents are not modelled)");
        return lines;
    }

    /**
     * Waits, bounded by {@link #waitPolicy()}, until {@code done} holds; inline, the waiting drives the engines.
     *
     * @param done the condition.
     * @param what what is waited for, for the message.
     * @throws IllegalStateException naming {@code what} and the bound on timeout.
     */
    public void await(final BooleanSupplier done, final String what)
    {
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (!done.getAsBoolean())
        {
            if (wait.expired(deadline))
            {
                throw new IllegalStateException("timed out after " + wait.timeoutNs() + " ns waiting for " + what);
            }
            idle.idle();
        }
    }

    synchronized void remove(final Vm vm)
    {
        vms.remove(vm);
    }

    /**
     * Closes every VM (guest, then its VMM and host objects), then the host kernel, then the SMMUs
     * (stopping threaded engines). vCPU threads must have stopped. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        RuntimeException failure = null;
        for (final Vm vm : List.copyOf(vms))
        {
            try
            {
                vm.close();
            }
            catch (final RuntimeException e)
            {
                failure = first(failure, e);
            }
        }
        closed = true;
        iommufd.close();
        for (final PhysicalSmmu smmu : smmus)
        {
            try
            {
                smmu.close();
            }
            catch (final RuntimeException e)
            {
                failure = first(failure, e);
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private static RuntimeException first(final RuntimeException failure, final RuntimeException e)
    {
        if (failure == null)
        {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("platform is closed");
        }
    }

    private void checkSmmu(final int smmuId)
    {
        if (smmuId < 0 || smmuId >= smmus.length)
        {
            throw new IndexOutOfBoundsException("smmuId=" + smmuId + " is outside 0.." + (smmus.length - 1));
        }
    }

    @Override
    public String toString()
    {
        return "Platform{" + smmus.length + " SMMUs, " + engineMode + ", " + vms.size() + " VMs}";
    }

    /**
     * The configuration of a {@link Platform}.
     */
    public static final class Builder
    {
        /** Default entries of each of an SMMU's caches (TLB, ATC, configuration). */
        public static final int DEFAULT_CACHE_CAPACITY = 4096;

        private int smmuCount = 2;
        private EngineMode engineMode = EngineMode.INLINE;
        private HostCmdqStrategy strategy = HostCmdqStrategy.LINUX_LOCKFREE;
        private CompletionWait completionWait = CompletionWait.WRITE_BACK;
        private VmidPolicy vmidPolicy = VmidPolicy.S2_DOMAIN;
        private long waitTimeoutNs = WaitPolicy.DEFAULT_TIMEOUT_NS;
        private int mainCmdqLog2Size = 8;
        private int maxQueueLog2Size = 19;
        private HardwarePolicy policy = HardwarePolicy.DEFAULT;
        private IntFunction<? extends CommandExecution> execution;
        private int tlbCapacity = DEFAULT_CACHE_CAPACITY;
        private int atcCapacity = DEFAULT_CACHE_CAPACITY;
        private int configCapacity = DEFAULT_CACHE_CAPACITY;

        private Builder()
        {
        }

        /**
         * @param smmuCount physical SMMUs, {@code >= 1}.
         * @return this.
         * @throws IllegalArgumentException naming {@code smmuCount} when below 1.
         */
        public Builder smmus(final int smmuCount)
        {
            if (smmuCount < 1)
            {
                throw new IllegalArgumentException("smmuCount=" + smmuCount + " is below 1");
            }
            this.smmuCount = smmuCount;
            return this;
        }

        /**
         * @param engineMode inline (deterministic) or threaded engines.
         * @return this.
         */
        public Builder engineMode(final EngineMode engineMode)
        {
            this.engineMode = Objects.requireNonNull(engineMode, "engineMode");
            return this;
        }

        /**
         * @param strategy how the host inserts into each main CMDQ.
         * @return this.
         */
        public Builder hostStrategy(final HostCmdqStrategy strategy)
        {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * @param completionWait how the host waits for its CMD_SYNCs.
         * @return this.
         */
        public Builder completionWait(final CompletionWait completionWait)
        {
            this.completionWait = Objects.requireNonNull(completionWait, "completionWait");
            return this;
        }

        /**
         * @param vmidPolicy where vIOMMU VMIDs come from.
         * @return this.
         */
        public Builder vmidPolicy(final VmidPolicy vmidPolicy)
        {
            this.vmidPolicy = Objects.requireNonNull(vmidPolicy, "vmidPolicy");
            return this;
        }

        /**
         * @param waitTimeoutNs bound of every host and guest wait, {@code >= 0}.
         * @return this.
         * @throws IllegalArgumentException naming {@code waitTimeoutNs} when negative.
         */
        public Builder waitTimeoutNs(final long waitTimeoutNs)
        {
            if (waitTimeoutNs < 0)
            {
                throw new IllegalArgumentException("waitTimeoutNs=" + waitTimeoutNs + " is negative");
            }
            this.waitTimeoutNs = waitTimeoutNs;
            return this;
        }

        /**
         * @param log2Size log2 of each main CMDQ's entries.
         * @return this.
         */
        public Builder mainCmdqLog2Size(final int log2Size)
        {
            this.mainCmdqLog2Size = log2Size;
            return this;
        }

        /**
         * @param log2Size IDR1.CMDQS of the physical SMMUs (largest HW queue).
         * @return this.
         */
        public Builder maxQueueLog2Size(final int log2Size)
        {
            this.maxQueueLog2Size = log2Size;
            return this;
        }

        /**
         * @param policy the hardware assumptions.
         * @return this.
         */
        public Builder hardwarePolicy(final HardwarePolicy policy)
        {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param tlbCapacity    TLB entries of each SMMU's caches.
         * @param atcCapacity    ATC entries.
         * @param configCapacity STE and CD entries.
         * @return this (replacing any {@link #execution}).
         */
        public Builder caches(final int tlbCapacity, final int atcCapacity, final int configCapacity)
        {
            this.tlbCapacity = tlbCapacity;
            this.atcCapacity = atcCapacity;
            this.configCapacity = configCapacity;
            this.execution = null;
            return this;
        }

        /**
         * @param execution makes each SMMU's execution from its smmuId, called once per SMMU — instead of
         *                  {@link SmmuCaches} (e.g. a recording one); {@link #caches(int)} is then refused.
         * @return this.
         */
        public Builder execution(final IntFunction<? extends CommandExecution> execution)
        {
            this.execution = Objects.requireNonNull(execution, "execution");
            return this;
        }

        /**
         * @return the platform, engines started, host booted.
         */
        public Platform build()
        {
            return new Platform(this);
        }
    }
}
