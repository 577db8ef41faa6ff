package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.vcmdq.host.uapi.IommuHwptInvalidate;
import dev.cmdq.vcmdq.hw.Cmdqv;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import dev.cmdq.vcmdq.hw.Vcmdq;
import dev.cmdq.vcmdq.hw.VcmdqLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * The in-process model of the host kernel's iommufd: bound devices, S2 nest-parent domains, vIOMMUs and
 * vDEVICEs over the host's physical SMMUs, and the invalidation path, with the host-wide state under
 * them (VMID spaces, VINTF allocation, the SID table, each main CMDQ's {@link HostCmdq}).
 *
 * <p><b>Contexts.</b> A VMM opens its own context with {@link #open}: an {@link IommufdFile}, the
 * model of one open {@code /dev/iommu}, which reaches only the IDs it created (another context's are
 * {@link Errno#ENOENT}) and has its own guest-memory mapping. This class's own {@link IommufdBackend}
 * methods are the host's view: they see every object of every context and use the mapping of
 * {@link #mapGuestMemory}; tools and tests use it, a VMM should not (it would reach other VMMs' objects).
 * Object IDs are host-wide and never reused.
 *
 * <p>Objects live in an array indexed by ID, published copy-on-write with a release store, so the
 * hot path ({@link #invalidate}) finds its vIOMMU with one acquire load and no lock or boxing; set-up
 * and tear-down synchronise on the instance. Each invalidating thread gets its own
 * {@link ViommuInvalidator} (a reusable chunk buffer) on its first call.
 *
 * <p><b>Over hardware</b> ({@link #overHardware}): each physical SMMU is a {@link PhysicalSmmu}; the
 * context opens a {@link HostCmdq} on its main CMDQ and boots its CMDQV as the host driver does
 * (CMDQV enabled, CMDQ_ALLOC pre-assigned with ALLOCATED clear, VINTF0 host-owned; §1.4, §1.10). Then a
 * TEGRA241_CMDQV vIOMMU gets a guest VINTF (HYP_OWN=0, its VMID), a vDEVICE a SID slot, a HW queue a
 * logical VCMDQ over guest memory ({@link #mapGuestMemory}), and guest-VCMDQ errors reach the vIOMMU's
 * vEVENTQ. The VMM sees all of it through this class only, never through {@code hw}. With the plain
 * constructor there is no hardware: {@link #allocHwQueue} and {@link #allocVeventq} fail with
 * {@link Errno#EOPNOTSUPP}.
 *
 * <p><b>Orders</b> (§1.9 step 5, §1.10, §3.9): HW queues are allocated in ascending and destroyed in
 * descending index; destroying a HW queue disables it, waits until the engine stopped it, issues a host
 * CMD_SYNC on the main CMDQ, then resets its registers and unmaps it; destroying a vDEVICE on a CMDQV
 * vIOMMU first drains — every HW queue of the VINTF idle, halted or disabled, then a host CMD_SYNC — and
 * only then clears its SID slot, so no in-flight command meets a half-removed device. Every wait is
 * bounded by the {@link WaitPolicy} and fails with {@link Errno#ETIMEDOUT}; the object then stays and
 * the destroy can be retried (a HW queue keeps CONFIG.CMDQ_EN cleared, a vDEVICE keeps its slot).
 */
public final class Iommufd implements IommufdBackend
{
    /** {@code IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3}. */
    public static final int INVALIDATE_DATA_ARM_SMMUV3 = 1;
    /** SMMUv3 invalidation entry size. */
    public static final int ENTRY_LEN = 16;
    /** {@code IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV}. */
    public static final int HW_QUEUE_TYPE_TEGRA241_CMDQV = 1;
    /** Smallest HW queue: two 16-byte entries (§1.7). */
    public static final int MIN_HW_QUEUE_BYTES = 32;

    private final HostCmdq[] queues;
    private final VmidAllocator[] vmids;
    private final VmidPolicy vmidPolicy;
    private final SidTable sids;
    private final int cmdqvSidSlots;
    private final ThreadLocal<ViommuInvalidator> invalidators;
    /** The main CMDQs' GERROR handlers (over hardware only; null otherwise). */
    private final MainCmdqGerrorHandler[] gerrorHandlers;
    /** Per calling thread, like the invalidators: the CFGI_STE + sync of {@link #reinstallSte}. */
    private final ThreadLocal<SteInvalidation> steInvalidations = ThreadLocal.withInitial(SteInvalidation::new);
    private final PhysicalSmmu[] smmus;
    private final WaitPolicy wait;
    private final boolean ownsQueues;
    private final AtomicReferenceArray<GuestVintf>[] vintfs;
    private final Map<Viommu, GuestVintf> vintfOf = new IdentityHashMap<>();
    private final AtomicLong unreportedErrors = new AtomicLong();
    private final AtomicLong droppedAtTeardown = new AtomicLong();
    private volatile GuestMemory guestMemory;
    private volatile Object[] objects = new Object[16];
    private int nextId = 1;

    private static final UnsafeBuffer NO_COMMANDS = new UnsafeBuffer(new byte[0]);

    /**
     * A context without hardware: vIOMMUs, vDEVICEs and invalidation only.
     *
     * @param vmidPolicy    where vIOMMU VMIDs come from.
     * @param cmdqvSidSlots SID_MATCH slots per VINTF (e.g. 16): the vDEVICE limit of a CMDQV vIOMMU.
     * @param queues        the main CMDQ of every physical SMMU, smmuId = index.
     */
    public Iommufd(final VmidPolicy vmidPolicy, final int cmdqvSidSlots, final HostCmdq... queues)
    {
        this(vmidPolicy, cmdqvSidSlots, queues, null, null, false);
    }

    @SuppressWarnings("unchecked")
    private Iommufd(
        final VmidPolicy vmidPolicy,
        final int cmdqvSidSlots,
        final HostCmdq[] queues,
        final PhysicalSmmu[] smmus,
        final WaitPolicy wait,
        final boolean ownsQueues)
    {
        this.vmidPolicy = Objects.requireNonNull(vmidPolicy, "vmidPolicy");
        this.queues = queues.clone();
        for (int i = 0; i < this.queues.length; i++)
        {
            if (this.queues[i].smmuId() != i)
            {
                throw new IllegalArgumentException("queues[" + i + "] belongs to smmu " + this.queues[i].smmuId());
            }
        }
        this.vmids = new VmidAllocator[queues.length];
        for (int i = 0; i < vmids.length; i++)
        {
            vmids[i] = new VmidAllocator(16, new VmidInvalidation(this.queues[i]));
        }
        this.sids = new SidTable(SidTable.MAX_VIOMMUS);
        this.cmdqvSidSlots = cmdqvSidSlots;
        final HostCmdq[] all = this.queues;
        this.invalidators = ThreadLocal.withInitial(() -> new ViommuInvalidator(all));
        this.smmus = smmus;
        this.wait = wait;
        this.ownsQueues = ownsQueues;
        this.vintfs = smmus == null ? null : new AtomicReferenceArray[smmus.length];
        this.gerrorHandlers = smmus == null ? null : new MainCmdqGerrorHandler[smmus.length];
        if (smmus != null)
        {
            for (int i = 0; i < smmus.length; i++)
            {
                vintfs[i] = new AtomicReferenceArray<>(smmus[i].cmdqv().numVintfs());
                boot(smmus[i]);
            }
        }
    }

    /**
     * A context over physical SMMUs with CMDQV: opens each SMMU's main CMDQ for the host and boots its
     * CMDQV (§1.10 "host boot"). The SMMUs' engines must run (inline: {@code wait}'s idle strategy drives
     * them; threaded: they run on their own).
     *
     * @param vmidPolicy     where vIOMMU VMIDs come from.
     * @param strategy       how the host inserts into each main CMDQ.
     * @param completionWait how the host waits for its CMD_SYNCs.
     * @param wait           back-off and bound of every host wait (syncs, drains, disables).
     * @param smmus          the physical SMMUs, smmuId = index.
     * @return the context; {@link #close()} closes the main-CMDQ handles it opened, not the SMMUs.
     * @throws IllegalArgumentException naming the index of an SMMU whose ID does not match it.
     */
    public static Iommufd overHardware(
        final VmidPolicy vmidPolicy,
        final HostCmdqStrategy strategy,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final PhysicalSmmu... smmus)
    {
        Objects.requireNonNull(wait, "wait");
        final HostCmdq[] queues = new HostCmdq[smmus.length];
        for (int i = 0; i < smmus.length; i++)
        {
            if (smmus[i].smmuId() != i)
            {
                throw new IllegalArgumentException("smmus[" + i + "] is smmu " + smmus[i].smmuId());
            }
            queues[i] = HostCmdq.open(i, strategy, smmus[i].mainCmdqMemory(), smmus[i].mainCmdqRegisters(),
                completionWait, wait);
        }
        return new Iommufd(vmidPolicy, smmus.length == 0 ? 0 : smmus[0].cmdqv().sidSlots(), queues, smmus.clone(), wait, true);
    }

    private void boot(final PhysicalSmmu smmu)
    {
        final Cmdqv cmdqv = smmu.cmdqv();
        cmdqv.writeConfig(CmdqvLayout.ENABLE);
        final int per = cmdqv.lvcmdqsPerVintf();
        for (int q = 0; q < cmdqv.numVcmdqs(); q++)
        {
            cmdqv.writeCmdqAlloc(q, CmdqvLayout.cmdqAlloc(q / per, q % per, false));
        }
        cmdqv.writeVintfConfig(0, CmdqvLayout.vintfConfig(0, true, true));
        final int smmuId = smmu.smmuId();
        cmdqv.errorListener((vintf, lvcmdq, vcmdq) -> onCmdqvError(smmuId, vintf));
        final MainCmdqGerrorHandler gerror = new MainCmdqGerrorHandler(smmu);
        gerrorHandlers[smmuId] = gerror;
        smmu.gerrorListener(gerror);
    }

    /** The host's threaded CMDQV interrupt handler (§1.9 step 2); runs on the engine's thread. */
    private void onCmdqvError(final int smmuId, final int vintf)
    {
        final GuestVintf guest = vintfs[smmuId].get(vintf);
        if (guest == null || !guest.onError())
        {
            // VINTF0 (the host's own queues, not used by this model) or a guest VINTF without a vEVENTQ.
            unreportedErrors.incrementAndGet();
        }
    }

    /**
     * Binds a physical device (what VFIO's bind to iommufd does).
     *
     * @param smmuId   the physical SMMU it sits behind.
     * @param streamId its StreamID.
     * @return the device's ID ({@code dev_id}).
     */
    public synchronized int bindDevice(final int smmuId, final long streamId)
    {
        checkSmmu(smmuId);
        final int id = nextId;
        publish(id, new HostDevice(id, smmuId, streamId));
        return id;
    }

    @Override
    public synchronized int allocNestParent(final int devId)
    {
        final HostDevice device = object(devId, HostDevice.class, "dev_id");
        final int id = nextId;
        publish(id, new NestParentDomain(id, device.smmuId(), vmids[device.smmuId()].allocate()));
        return id;
    }

    @Override
    public synchronized int allocViommu(final ViommuType type, final int devId, final int hwptId)
    {
        Objects.requireNonNull(type, "type");
        final HostDevice device = object(devId, HostDevice.class, "dev_id");
        final NestParentDomain parent = object(hwptId, NestParentDomain.class, "hwpt_id");
        final int id = nextId;
        final int smmu = device.smmuId();
        final boolean cmdqv = type == ViommuType.TEGRA241_CMDQV && smmus != null;
        final int vintf = cmdqv ? freeVintf(smmu) : -1;
        final Viommu viommu = Viommu.allocate(id, type, smmu, parent, vmidPolicy, vmids[smmu], sids,
            type == ViommuType.TEGRA241_CMDQV ? cmdqvSidSlots : 0);
        if (cmdqv)
        {
            final GuestVintf guest = new GuestVintf(smmus[smmu], vintf, viommu);
            guest.enable();
            vintfs[smmu].set(vintf, guest);
            vintfOf.put(viommu, guest);
        }
        publish(id, viommu);
        return id;
    }

    private int freeVintf(final int smmu)
    {
        // VINTF0 is the host's (§1.1).
        for (int v = 1; v < vintfs[smmu].length(); v++)
        {
            if (vintfs[smmu].get(v) == null)
            {
                return v;
            }
        }
        throw new IommufdException(Errno.ENOSPC, "smmu " + smmu + " has no free VINTF (" +
            (vintfs[smmu].length() - 1) + " guest VINTFs in use)");
    }

    /**
     * {@code IOMMU_IOAS_MAP} of the VM's RAM, for the host's view: the memory its HW queue rings must
     * lie in (each {@link IommufdFile} has its own). Mapping again replaces it for later allocations.
     *
     * @param memory the VM's RAM.
     */
    @Override
    public synchronized void mapGuestMemory(final GuestMemory memory)
    {
        guestMemory = Objects.requireNonNull(memory, "memory");
    }

    @Override
    public synchronized int allocVdevice(final int viommuId, final int devId, final long virtId)
    {
        final Viommu viommu = object(viommuId, Viommu.class, "viommu_id");
        final HostDevice device = object(devId, HostDevice.class, "dev_id");
        for (final Object o : objects)
        {
            if (o instanceof Vdevice && ((Vdevice)o).device() == device)
            {
                throw new IommufdException(Errno.EEXIST, "dev_id=" + devId + " already has " + o);
            }
        }
        final int id = nextId;
        final GuestVintf guest = vintfOf.get(viommu);
        if (guest != null && device.streamId() > CmdqvLayout.SID_MAX)
        {
            throw new IommufdException(Errno.EINVAL, "dev_id=" + devId + " has pSID 0x" + Long.toHexString(device.streamId()) +
                ", which SID_REPLACE's 20 bits cannot hold");
        }
        final Vdevice vdevice = viommu.addVdevice(id, device, virtId);
        if (guest != null)
        {
            try
            {
                guest.programSlot(id, virtId, device.streamId());
            }
            catch (final IommufdException e)
            {
                viommu.removeVdevice(vdevice);
                throw e;
            }
        }
        publish(id, vdevice);
        return id;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks in the kernel's order (§3.6): core — {@code type} not TEGRA241_CMDQV or a vIOMMU that is
     * not one → {@link Errno#EOPNOTSUPP}; {@code length} 0 → {@link Errno#EINVAL}; base + length overflows
     * → {@link Errno#EOVERFLOW}; range not inside the mapped guest memory (pinned, contiguous) →
     * {@link Errno#EFAULT}; then the driver — {@code index} beyond the VINTF's logical VCMDQs →
     * {@link Errno#EINVAL}; taken → {@link Errno#EEXIST}; predecessor missing → {@link Errno#EIO};
     * {@code length} not a power of two in {@code [32, 2^CMDQS * 16]} or base not aligned to it →
     * {@link Errno#EINVAL}. Each message names the field and value. Then CMDQ_ALLOC.ALLOCATED is set and
     * BASE written; the guest enables the queue itself.
     */
    @Override
    public synchronized int allocHwQueue(final int viommuId, final int type, final int index, final long nestingParentIova, final long length)
    {
        return allocHwQueue(viommuId, type, index, nestingParentIova, length, guestMemory);
    }

    /** {@link #allocHwQueue(int, int, int, long, long)} in the given mapping (an {@link IommufdFile}'s own). */
    synchronized int allocHwQueue(
        final int viommuId,
        final int type,
        final int index,
        final long nestingParentIova,
        final long length,
        final GuestMemory memory)
    {
        final Viommu viommu = object(viommuId, Viommu.class, "viommu_id");
        if (smmus == null)
        {
            throw new IommufdException(Errno.EOPNOTSUPP, "HW queues need the CMDQV hardware model (viommu_id=" + viommuId +
                "): this context has no PhysicalSmmu");
        }
        if (type != HW_QUEUE_TYPE_TEGRA241_CMDQV)
        {
            throw new IommufdException(Errno.EOPNOTSUPP, "type=" + type + " is not TEGRA241_CMDQV (" +
                HW_QUEUE_TYPE_TEGRA241_CMDQV + ")");
        }
        final GuestVintf guest = vintfOf.get(viommu);
        if (guest == null)
        {
            throw new IommufdException(Errno.EOPNOTSUPP, "viommu_id=" + viommuId + " is a " + viommu.type() +
                " vIOMMU, not TEGRA241_CMDQV");
        }
        if (length == 0)
        {
            throw new IommufdException(Errno.EINVAL, "length=0");
        }
        if (Long.compareUnsigned(nestingParentIova + length, nestingParentIova) < 0)
        {
            throw new IommufdException(Errno.EOVERFLOW, "nesting_parent_iova=0x" + Long.toHexString(nestingParentIova) +
                " + length=0x" + Long.toHexString(length) + " overflows");
        }
        if (memory == null || !memory.contains(nestingParentIova, length))
        {
            throw new IommufdException(Errno.EFAULT, "nesting_parent_iova=0x" + Long.toHexString(nestingParentIova) +
                " length=0x" + Long.toHexString(length) + " is not inside the mapped guest memory " +
                (memory == null ? "(none mapped)" : memory.toString()));
        }
        if (index < 0 || index >= guest.lvcmdqs())
        {
            throw new IommufdException(Errno.EINVAL, "index=" + index + " is outside the VINTF's logical VCMDQs 0.." +
                (guest.lvcmdqs() - 1));
        }
        if (guest.queue(index) != null)
        {
            throw new IommufdException(Errno.EEXIST, "index=" + index + " is taken by " + guest.queue(index));
        }
        if (index > 0 && guest.queue(index - 1) == null)
        {
            throw new IommufdException(Errno.EIO, "index=" + index + " needs index " + (index - 1) +
                " first (ascending allocation, §1.4)");
        }
        final PhysicalSmmu smmu = guest.smmu();
        final long maxBytes = (long)QueueIndex.capacity(smmu.maxQueueLog2Size()) << 4;
        if (Long.bitCount(length) != 1 || length < MIN_HW_QUEUE_BYTES || length > maxBytes)
        {
            throw new IommufdException(Errno.EINVAL, "length=0x" + Long.toHexString(length) +
                " is not a power of two in [32, 0x" + Long.toHexString(maxBytes) + "] (IDR1.CMDQS=" +
                smmu.maxQueueLog2Size() + ")");
        }
        if ((nestingParentIova & (length - 1)) != 0 || (nestingParentIova & ~VcmdqLayout.ADDR_MASK) != 0)
        {
            throw new IommufdException(Errno.EINVAL, "nesting_parent_iova=0x" + Long.toHexString(nestingParentIova) +
                " is not aligned to length=0x" + Long.toHexString(length) + " or exceeds BASE's 48 bits");
        }
        final Cmdqv cmdqv = smmu.cmdqv();
        final int q = cmdqv.globalIndex(guest.index(), index);
        final Vcmdq vcmdq = cmdqv.vcmdq(q);
        viommu.retainChild();
        cmdqv.writeCmdqAlloc(q, CmdqvLayout.cmdqAlloc(guest.index(), index, true));
        vcmdq.attachMemory(memory);
        vcmdq.writeBase(VcmdqLayout.base(nestingParentIova, Long.numberOfTrailingZeros(length) - 4));
        final int id = nextId;
        final HwQueue queue = new HwQueue(id, viommu, guest, index, vcmdq, nestingParentIova, length);
        guest.queue(index, queue);
        publish(id, queue);
        return id;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IommufdException {@link Errno#EOPNOTSUPP} for a type other than TEGRA241_CMDQV (ARM_SMMUV3
     *                          event forwarding is not modelled) or a vIOMMU without a VINTF;
     *                          {@link Errno#EINVAL} naming {@code veventq_depth} below 1;
     *                          {@link Errno#EEXIST} when the vIOMMU already has one of that type.
     */
    @Override
    public synchronized int allocVeventq(final int viommuId, final int type, final int depth)
    {
        final Viommu viommu = object(viommuId, Viommu.class, "viommu_id");
        if (smmus == null)
        {
            throw new IommufdException(Errno.EOPNOTSUPP, "vEVENTQs need the CMDQV hardware model (viommu_id=" + viommuId +
                "): this context has no PhysicalSmmu");
        }
        if (type != Veventq.TYPE_TEGRA241_CMDQV)
        {
            throw new IommufdException(Errno.EOPNOTSUPP, "type=" + type + " is not modelled (only TEGRA241_CMDQV = " +
                Veventq.TYPE_TEGRA241_CMDQV + ")");
        }
        final GuestVintf guest = vintfOf.get(viommu);
        if (guest == null)
        {
            throw new IommufdException(Errno.EOPNOTSUPP, "viommu_id=" + viommuId + " is a " + viommu.type() +
                " vIOMMU, not TEGRA241_CMDQV");
        }
        if (depth < 1)
        {
            throw new IommufdException(Errno.EINVAL, "veventq_depth=" + depth + " is below 1");
        }
        if (guest.veventq() != null)
        {
            throw new IommufdException(Errno.EEXIST, "viommu_id=" + viommuId + " already has " + guest.veventq());
        }
        viommu.retainChild();
        final int id = nextId;
        final Veventq veventq = new Veventq(id, viommu, depth);
        guest.veventq(veventq);
        publish(id, veventq);
        return id;
    }

    @Override
    public QueueRegisters hwQueueRegisters(final int hwQueueId)
    {
        return object(hwQueueId, HwQueue.class, "hw_queue_id").registers();
    }

    @Override
    public void writeHwQueueConfig(final int hwQueueId, final int config)
    {
        object(hwQueueId, HwQueue.class, "hw_queue_id").vcmdq().writeConfig(config);
    }

    @Override
    public int hwQueueStatus(final int hwQueueId)
    {
        return object(hwQueueId, HwQueue.class, "hw_queue_id").vcmdq().status();
    }

    @Override
    public int readVevent(final int veventqId, final MutableDirectBuffer buffer, final int offset)
    {
        return object(veventqId, Veventq.class, "veventq_id").read(buffer, offset);
    }

    /**
     * @return CMDQV errors no vEVENTQ received (VINTF0, or a guest VINTF without a vEVENTQ).
     */
    public long unreportedErrors()
    {
        return unreportedErrors.get();
    }

    /**
     * @return commands a guest had published on a HW queue that never executed because the queue was
     *         destroyed while halted, or did not drain within the wait bound (reset with them pending).
     */
    public long droppedAtTeardown()
    {
        return droppedAtTeardown.get();
    }

    @Override
    public synchronized void destroy(final int id)
    {
        final Object o = object(id, Object.class, "id");
        if (o instanceof Vdevice)
        {
            final Vdevice vdevice = (Vdevice)o;
            final GuestVintf guest = vintfOf.get(vdevice.viommu());
            if (guest != null)
            {
                drain(guest);
                final int slot = guest.slotOf(id);
                if (slot >= 0)
                {
                    guest.clearSlot(slot);
                }
            }
            vdevice.viommu().removeVdevice(vdevice);
        }
        else if (o instanceof Viommu)
        {
            final Viommu viommu = (Viommu)o;
            viommu.destroy();
            final GuestVintf guest = vintfOf.remove(viommu);
            if (guest != null)
            {
                guest.disable();
                vintfs[viommu.smmuId()].set(guest.index(), null);
            }
        }
        else if (o instanceof HwQueue)
        {
            destroyHwQueue((HwQueue)o);
        }
        else if (o instanceof Veventq)
        {
            final Veventq veventq = (Veventq)o;
            vintfOf.get(veventq.viommu()).veventq(null);
            veventq.viommu().releaseChild();
        }
        else if (o instanceof NestParentDomain)
        {
            final NestParentDomain domain = (NestParentDomain)o;
            if (domain.viommus() != 0)
            {
                throw new IommufdException(Errno.EBUSY, "hwpt_id=" + id + " is the parent of " + domain.viommus() + " vIOMMUs");
            }
            vmids[domain.smmuId()].free(domain.vmid());
        }
        else if (o instanceof HostDevice)
        {
            for (final Object other : objects)
            {
                if (other instanceof Vdevice && ((Vdevice)other).device() == o)
                {
                    throw new IommufdException(Errno.EBUSY, "dev_id=" + id + " still has " + other);
                }
            }
        }
        final Object[] copy = objects.clone();
        copy[id] = null;
        objects = copy;
    }

    /**
     * Teardown of a guest VCMDQ (§1.9 step 5, §1.10 step 4): disable, wait until the engine stopped it,
     * host CMD_SYNC (an ATC_INV that timed out at the queue's tail is reported now, not to the next VM),
     * reset the registers, unmap.
     */
    private void destroyHwQueue(final HwQueue queue)
    {
        final GuestVintf guest = queue.vintf();
        final int index = queue.index();
        if (index + 1 < guest.lvcmdqs() && guest.queue(index + 1) != null)
        {
            throw new IommufdException(Errno.EBUSY, "hw_queue_id=" + queue.id() + " (index " + index +
                ") is the predecessor of " + guest.queue(index + 1) + ": destroy in descending index");
        }
        final Vcmdq vcmdq = queue.vcmdq();
        // Teardown order (issue: VM teardown with commands in flight): first let the queue drain — what
        // the guest published before its VMM tore it down still executes — bounded by the wait policy; a
        // halted queue or one that does not drain in time is reset with its pending commands dropped and
        // counted (droppedAtTeardown). Then disable, the §1.9 step 5 host sync, reset.
        final QueueRegisters registers = vcmdq.registers();
        final int log2Size = Long.numberOfTrailingZeros(queue.length()) - 4;
        final int mask = QueueIndex.wrapIndexMask(log2Size);
        tryAwait(() -> !vcmdq.isEnabled() ||
            (registers.getConsAcquire() & mask) == (registers.getProdAcquire() & mask) ||
            (GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) & GlobalError.CMDQ_ERR) != 0);
        vcmdq.writeConfig(0);
        await(() -> !vcmdq.isEnabled(), "hw_queue_id=" + queue.id() + " to be disabled");
        droppedAtTeardown.addAndGet(QueueIndex.used(registers.getProdAcquire() & mask, registers.getConsAcquire() & mask, log2Size));
        hostSync(guest.smmu().smmuId());
        vcmdq.reset();
        final Cmdqv cmdqv = guest.smmu().cmdqv();
        cmdqv.writeCmdqAlloc(vcmdq.index(), CmdqvLayout.cmdqAlloc(guest.index(), index, false));
        guest.queue(index, null);
        queue.viommu().releaseChild();
    }

    /**
     * Hot-unplug drain: every HW queue of the VINTF idle (CONS reached PROD), halted or disabled, then a
     * host CMD_SYNC on the main CMDQ, so every command that might carry the vSID has completed.
     */
    private void drain(final GuestVintf guest)
    {
        for (int l = 0; l < guest.lvcmdqs(); l++)
        {
            final HwQueue queue = guest.queue(l);
            if (queue != null)
            {
                final Vcmdq vcmdq = queue.vcmdq();
                final QueueRegisters registers = vcmdq.registers();
                final int mask = QueueIndex.wrapIndexMask(Long.numberOfTrailingZeros(queue.length()) - 4);
                await(() -> !vcmdq.isEnabled() ||
                    (registers.getConsAcquire() & mask) == (registers.getProdAcquire() & mask) ||
                    (GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) & GlobalError.CMDQ_ERR) != 0,
                    queue + " to drain");
            }
        }
        hostSync(guest.smmu().smmuId());
    }

    private void hostSync(final int smmuId)
    {
        final int status = queues[smmuId].issue(NO_COMMANDS, 0, 0, true);
        if (status != IssueStatus.OK)
        {
            throw new IommufdException(Errno.ofSubmission(status),
                "host CMD_SYNC on smmu " + smmuId + " failed: " + IssueStatus.name(status));
        }
    }

    /** As {@link #await}, but reports a timeout instead of throwing. */
    private boolean tryAwait(final BooleanSupplier done)
    {
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (!done.getAsBoolean())
        {
            if (wait.expired(deadline))
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    private void await(final BooleanSupplier done, final String what)
    {
        final IdleStrategy idle = wait.idle();
        idle.reset();
        final long deadline = wait.deadline();
        while (!done.getAsBoolean())
        {
            if (wait.expired(deadline))
            {
                throw new IommufdException(Errno.ETIMEDOUT, "timed out after " + wait.timeoutNs() + " ns waiting for " + what);
            }
            idle.idle();
        }
    }

    @Override
    public int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset)
    {
        return invalidate(header, entries, offset, null);
    }

    /**
     * {@link #invalidate(IommuHwptInvalidate, DirectBuffer, int)} seen from {@code owner}: its vIOMMU lookup
     * (where the kernel's {@code iommufd_get_obj} runs, after the header checks) also requires that the
     * owner created the ID; null is the host's own view, which sees every object.
     */
    int invalidate(final IommuHwptInvalidate header, final DirectBuffer entries, final int offset, final IommufdFile owner)
    {
        final int count = header.entryNum();
        header.entryNum(0);
        if (header.reserved() != 0)
        {
            return -Errno.EOPNOTSUPP.value();
        }
        if (count != 0 && header.entryLen() == 0)
        {
            return -Errno.EINVAL.value();
        }
        if (header.dataType() != INVALIDATE_DATA_ARM_SMMUV3 || header.entryLen() != ENTRY_LEN)
        {
            // Other entry lengths are legal in the uAPI (zero-extended copies); the model takes 16 only.
            return -Errno.EOPNOTSUPP.value();
        }
        final Object[] snapshot = objects;
        final int id = header.hwptId();
        final Object o = id > 0 && id < snapshot.length ? snapshot[id] : null;
        if (!(o instanceof Viommu) || (owner != null && !owner.owns(id)))
        {
            return -Errno.ENOENT.value();
        }
        final ViommuInvalidator invalidator = invalidators.get();
        final int status = invalidator.invalidate((Viommu)o, entries, offset, count);
        header.entryNum(invalidator.handled());
        return -InvalidateStatus.errno(status, invalidator.issueStatus());
    }

    @Override
    public int reinstallSte(final int viommuId, final long virtId)
    {
        return reinstallSte(viommuId, virtId, null);
    }

    /** {@link #reinstallSte(int, long)} seen from {@code owner} (null: the host's view), as {@link #invalidate}. */
    int reinstallSte(final int viommuId, final long virtId, final IommufdFile owner)
    {
        final Object[] snapshot = objects;
        final Object o = viommuId > 0 && viommuId < snapshot.length ? snapshot[viommuId] : null;
        if (!(o instanceof Viommu) || (owner != null && !owner.owns(viommuId)))
        {
            return -Errno.ENOENT.value();
        }
        final Viommu viommu = (Viommu)o;
        final long psid = viommu.translateSid(virtId);
        if (psid == SidTable.NO_ENTRY)
        {
            return -Errno.ENOENT.value();
        }
        final int status = steInvalidations.get().invalidate(queues[viommu.smmuId()], psid);
        if (status == IssueStatus.OK)
        {
            return 0;
        }
        return -Errno.ofSubmission(status).value();
    }

    /**
     * @param smmuId a physical SMMU (over hardware).
     * @return command errors its main CMDQ's GERROR handler repaired (a skipped illegal command each).
     * @throws IllegalStateException when this context was not built over hardware.
     */
    public long mainCmdqRepairs(final int smmuId)
    {
        if (gerrorHandlers == null)
        {
            throw new IllegalStateException("no GERROR handler: this context was not built over hardware");
        }
        checkSmmu(smmuId);
        return gerrorHandlers[smmuId].repaired();
    }

    /**
     * @param id an object ID.
     * @return the vIOMMU with that ID.
     * @throws IommufdException {@link Errno#ENOENT} naming the ID otherwise.
     */
    public Viommu viommu(final int id)
    {
        return object(id, Viommu.class, "viommu_id");
    }

    /**
     * @param smmuId a physical SMMU.
     * @return its VMID space.
     */
    public VmidAllocator vmids(final int smmuId)
    {
        checkSmmu(smmuId);
        return vmids[smmuId];
    }

    /**
     * Opens a context of this host, as a VMM opens {@code /dev/iommu}: it has its own object-ID namespace
     * (it reaches only the IDs it created) and its own guest-memory mapping, over this host-wide state.
     *
     * @return the new context; close it before this host.
     */
    public IommufdFile open()
    {
        return new IommufdFile(this);
    }

    /**
     * @param devId a device ID.
     * @return the bound device.
     * @throws IommufdException {@link Errno#ENOENT} naming {@code dev_id} otherwise.
     */
    HostDevice device(final int devId)
    {
        return object(devId, HostDevice.class, "dev_id");
    }

    /**
     * @param id an object ID.
     * @return the object with that ID now, or null.
     */
    Object objectAt(final int id)
    {
        final Object[] snapshot = objects;
        return id > 0 && id < snapshot.length ? snapshot[id] : null;
    }

    /**
     * Forgets every object (close the {@link IommufdFile}s first: they destroy theirs in order). Main
     * CMDQ handles opened by {@link #overHardware} are closed; those given to the constructor belong to
     * the caller and stay open. The SMMUs are the caller's.
     */
    @Override
    public synchronized void close()
    {
        objects = new Object[16];
        if (ownsQueues)
        {
            for (final HostCmdq queue : queues)
            {
                queue.close();
            }
        }
    }

    private void checkSmmu(final int smmuId)
    {
        if (smmuId < 0 || smmuId >= queues.length)
        {
            throw new IommufdException(Errno.EINVAL, "smmu " + smmuId + " does not exist (" + queues.length + " SMMUs)");
        }
    }

    private <T> T object(final int id, final Class<T> type, final String field)
    {
        final Object[] snapshot = objects;
        final Object o = id > 0 && id < snapshot.length ? snapshot[id] : null;
        if (!type.isInstance(o))
        {
            throw new IommufdException(Errno.ENOENT, field + "=" + id + " is no " + type.getSimpleName() +
                (o == null ? "" : " (it is a " + o.getClass().getSimpleName() + ")"));
        }
        return type.cast(o);
    }

    private void publish(final int id, final Object object)
    {
        final Object[] current = objects;
        final Object[] copy = Arrays.copyOf(current, Math.max(current.length, Integer.highestOneBit(id) << 1));
        copy[id] = object;
        objects = copy;
        nextId = id + 1;
    }
}
