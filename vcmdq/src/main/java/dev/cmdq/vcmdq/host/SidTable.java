package dev.cmdq.vcmdq.host;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * vSID → pSID translation, one independent map per vIOMMU, read on the invalidation hot path without
 * locks and without allocation, changed rarely (vDEVICE hot-plug) concurrently with those reads.
 *
 * <pre>
 *   views: AtomicReferenceArray&lt;View&gt;  (slot = handle &amp; SLOT_MASK)
 *     slot ──acquire──▶ View (immutable once published)
 *                       ├─ handle      owner check: generation(16) | slot(12)
 *                       ├─ sidLimit    2^sidBits (20 for a CMDQV vIOMMU: SID_MATCH bits 20:1)
 *                       ├─ keys[]      vSID + 1, 0 = empty   ┐ open addressing, linear probing,
 *                       └─ psids[]     pSID (u32)            ┘ power-of-two length, load &le; 1/2
 * </pre>
 *
 * <p><b>Why copy-on-write rather than a seqlock.</b> A change builds a new immutable {@code View} and
 * publishes it with one release store; a reader does one acquire load and then reads only final arrays
 * that nobody writes any more. So a reader can never observe a half-made entry (there is no in-place
 * write to observe), it never retries, and it never spins behind a writer that was preempted — which on
 * an oversubscribed host a seqlock reader would (it retries until the writer finishes). The cost is an
 * O(entries) copy per hot-plug, which is rare and tiny (a CMDQV VINTF has 16 SID slots). Writers of one
 * table serialise on a monitor; readers never take it.
 *
 * <p><b>Why lookups never cross vIOMMUs.</b> Each vIOMMU has its own {@code View}; the reader selects it
 * by the slot of its handle and then checks that the view's recorded handle equals the whole handle
 * (slot and generation). A handle whose vIOMMU was removed, or whose slot was reused by another vIOMMU,
 * finds either no view or one with another generation, and gets {@link #NO_ENTRY}.
 *
 * <p>vSIDs are unsigned values below {@code 2^sidBits} (sidBits 1..32, fixed per vIOMMU); pSIDs are
 * unsigned 32-bit values.
 */
public final class SidTable
{
    /** Result of {@link #lookup} when the vIOMMU has no entry for the vSID (or the handle is stale). */
    public static final long NO_ENTRY = -1L;
    /** SID_MATCH holds a 20-bit vSID (vcmdq-viommu.md §1.5, §1.8): the limit of a CMDQV vIOMMU. */
    public static final int CMDQV_SID_BITS = 20;
    /** SMMUv3 StreamIDs are at most 32 bits (IDR1.SIDSIZE). */
    public static final int SMMU_SID_BITS = 32;
    /** Most vIOMMUs one table holds at a time. */
    public static final int MAX_VIOMMUS = 1 << 12;

    private static final int SLOT_MASK = MAX_VIOMMUS - 1;
    private static final int GENERATION_SHIFT = 12;
    private static final int GENERATION_MASK = 0xFFFF;
    private static final int MIN_LENGTH = 8;

    private final AtomicReferenceArray<View> views;
    private final int[] generations;
    private final int capacity;

    /**
     * @param maxViommus vIOMMUs that may be registered at the same time, 1..{@value #MAX_VIOMMUS}.
     * @throws IllegalArgumentException naming {@code maxViommus} when out of range.
     */
    public SidTable(final int maxViommus)
    {
        if (maxViommus < 1 || maxViommus > MAX_VIOMMUS)
        {
            throw new IllegalArgumentException("maxViommus=" + maxViommus + " is not in 1.." + MAX_VIOMMUS);
        }
        this.capacity = maxViommus;
        this.views = new AtomicReferenceArray<>(maxViommus);
        this.generations = new int[maxViommus];
    }

    /**
     * Adds an empty map for a new vIOMMU.
     *
     * @param sidBits width of the vIOMMU's vSIDs, 1..32 ({@value #CMDQV_SID_BITS} for a CMDQV vIOMMU).
     * @return the handle of the new map, to pass to every other call.
     * @throws IllegalArgumentException naming {@code sidBits} when out of range.
     * @throws IommufdException         {@link Errno#ENOMEM} when all {@code maxViommus} maps are in use.
     */
    public synchronized int addViommu(final int sidBits)
    {
        if (sidBits < 1 || sidBits > SMMU_SID_BITS)
        {
            throw new IllegalArgumentException("sidBits=" + sidBits + " is not in 1.." + SMMU_SID_BITS);
        }
        for (int slot = 0; slot < capacity; slot++)
        {
            if (views.get(slot) == null)
            {
                final int generation = (generations[slot] + 1) & GENERATION_MASK;
                generations[slot] = generation;
                final int handle = (generation << GENERATION_SHIFT) | slot;
                views.setRelease(slot, new View(handle, 1L << sidBits, new long[MIN_LENGTH], new int[MIN_LENGTH], 0));
                return handle;
            }
        }
        throw new IommufdException(Errno.ENOMEM, "all " + capacity + " vIOMMU SID maps are in use");
    }

    /**
     * Removes an empty vIOMMU map; its handle finds nothing afterwards, even once the slot is reused.
     *
     * @param handle a handle from {@link #addViommu}.
     * @throws IommufdException {@link Errno#ENOENT} for an unknown handle, {@link Errno#EBUSY} while
     *                          the map still has entries (vDEVICEs are destroyed first, §3.9).
     */
    public synchronized void removeViommu(final int handle)
    {
        final View view = owned(handle);
        if (view.size != 0)
        {
            throw new IommufdException(Errno.EBUSY, "vIOMMU SID map handle=0x" + Integer.toHexString(handle) +
                " still has " + view.size + " entries");
        }
        views.setRelease(handle & SLOT_MASK, null);
    }

    /**
     * Adds vSID → pSID to one vIOMMU's map (vDEVICE hot-plug); concurrent lookups see either the old map
     * or the new one.
     *
     * @param handle the vIOMMU's map.
     * @param vsid   the virtual SID, below {@code 2^sidBits} of that vIOMMU.
     * @param psid   the physical SID, an unsigned 32-bit value.
     * @throws IommufdException {@link Errno#EINVAL} naming {@code vsid} or {@code psid} when out of
     *                          range; {@link Errno#EEXIST} when the vSID is already mapped in this
     *                          vIOMMU; {@link Errno#ENOENT} for an unknown handle.
     */
    public synchronized void put(final int handle, final long vsid, final long psid)
    {
        final View view = owned(handle);
        if (vsid < 0 || vsid >= view.sidLimit)
        {
            throw new IommufdException(Errno.EINVAL, "vsid=0x" + Long.toHexString(vsid) + " is not below 0x" +
                Long.toHexString(view.sidLimit) + " (the vIOMMU's " + Long.numberOfTrailingZeros(view.sidLimit) +
                "-bit vSID field)");
        }
        if (psid < 0 || psid > 0xFFFF_FFFFL)
        {
            throw new IommufdException(Errno.EINVAL, "psid=0x" + Long.toHexString(psid) + " is not a 32-bit StreamID");
        }
        if (find(view, vsid) >= 0)
        {
            throw new IommufdException(Errno.EEXIST, "vsid=0x" + Long.toHexString(vsid) + " is already mapped in this vIOMMU");
        }
        final int size = view.size + 1;
        int length = view.keys.length;
        while (size * 2 > length)
        {
            length <<= 1;
        }
        final long[] keys = new long[length];
        final int[] psids = new int[length];
        for (int i = 0; i < view.keys.length; i++)
        {
            if (view.keys[i] != 0)
            {
                insert(keys, psids, view.keys[i] - 1, view.psids[i]);
            }
        }
        insert(keys, psids, vsid, (int)psid);
        views.setRelease(handle & SLOT_MASK, new View(handle, view.sidLimit, keys, psids, size));
    }

    /**
     * Removes a vSID from one vIOMMU's map (vDEVICE hot-unplug).
     *
     * @param handle the vIOMMU's map.
     * @param vsid   the virtual SID.
     * @return the pSID it mapped to.
     * @throws IommufdException {@link Errno#ENOENT} naming {@code vsid} when it is not mapped, or for an
     *                          unknown handle.
     */
    public synchronized long remove(final int handle, final long vsid)
    {
        final View view = owned(handle);
        final int at = vsid < 0 ? -1 : find(view, vsid);
        if (at < 0)
        {
            throw new IommufdException(Errno.ENOENT, "vsid=0x" + Long.toHexString(vsid) + " is not mapped in this vIOMMU");
        }
        final long[] keys = new long[view.keys.length];
        final int[] psids = new int[view.keys.length];
        for (int i = 0; i < view.keys.length; i++)
        {
            if (view.keys[i] != 0 && i != at)
            {
                insert(keys, psids, view.keys[i] - 1, view.psids[i]);
            }
        }
        views.setRelease(handle & SLOT_MASK, new View(handle, view.sidLimit, keys, psids, view.size - 1));
        return Integer.toUnsignedLong(view.psids[at]);
    }

    /**
     * The hot-path read: one acquire load of the vIOMMU's current map, then reads of immutable arrays.
     * Lock-free, allocation-free, never retries.
     *
     * @param handle the vIOMMU's map.
     * @param vsid   the virtual SID (any value; out-of-range values simply have no entry).
     * @return the pSID (unsigned 32-bit) or {@link #NO_ENTRY}.
     */
    public long lookup(final int handle, final long vsid)
    {
        final View view = views.getAcquire(handle & SLOT_MASK);
        if (view == null || view.handle != handle || vsid < 0 || vsid >= view.sidLimit)
        {
            return NO_ENTRY;
        }
        final int at = find(view, vsid);
        return at < 0 ? NO_ENTRY : Integer.toUnsignedLong(view.psids[at]);
    }

    /**
     * @param handle the vIOMMU's map.
     * @return entries in the map, or -1 for an unknown handle.
     */
    public int size(final int handle)
    {
        final View view = views.getAcquire(handle & SLOT_MASK);
        return view == null || view.handle != handle ? -1 : view.size;
    }

    private View owned(final int handle)
    {
        final View view = views.get(handle & SLOT_MASK);
        if (view == null || view.handle != handle || (handle & ~((GENERATION_MASK << GENERATION_SHIFT) | SLOT_MASK)) != 0)
        {
            throw new IommufdException(Errno.ENOENT, "no vIOMMU SID map with handle=0x" + Integer.toHexString(handle));
        }
        return view;
    }

    private static int find(final View view, final long vsid)
    {
        final long[] keys = view.keys;
        final int mask = keys.length - 1;
        final long key = vsid + 1;
        int i = hash(vsid) & mask;
        while (true)
        {
            final long k = keys[i];
            if (k == key)
            {
                return i;
            }
            if (k == 0)
            {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private static void insert(final long[] keys, final int[] psids, final long vsid, final int psid)
    {
        final int mask = keys.length - 1;
        int i = hash(vsid) & mask;
        while (keys[i] != 0)
        {
            i = (i + 1) & mask;
        }
        keys[i] = vsid + 1;
        psids[i] = psid;
    }

    private static int hash(final long vsid)
    {
        // PCI requester IDs cluster in the low bits; a multiplicative mix spreads them over the slots.
        final long h = vsid * 0x9E37_79B9_7F4A_7C15L;
        return (int)(h >>> 32);
    }

    @Override
    public String toString()
    {
        return "SidTable{capacity=" + capacity + "}";
    }

    /** One vIOMMU's map; never written after it is published. */
    private static final class View
    {
        final int handle;
        final long sidLimit;
        final long[] keys;
        final int[] psids;
        final int size;

        View(final int handle, final long sidLimit, final long[] keys, final int[] psids, final int size)
        {
            this.handle = handle;
            this.sidLimit = sidLimit;
            this.keys = keys;
            this.psids = psids;
            this.size = size;
        }
    }
}
