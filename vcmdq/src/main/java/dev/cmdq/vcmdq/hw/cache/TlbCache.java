package dev.cmdq.vcmdq.hw.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The model of one SMMU's TLB (translation and walk caches together): a fixed number of entries, each
 * an aligned address span tagged by kind ({@link TlbEntryKind}), VMID and ASID, with a leaf flag
 * (last-level translation) or not (a walk-cache entry for a table that covers the span).
 *
 * <pre>
 *   slot i, 0 &lt;= i &lt; size (dense: a removal moves the last entry into the hole)
 *   first[i]    long   first byte of the span (VA, or IPA for STAGE2)
 *   last[i]     long   last byte, first + 2^sizeLog2 - 1 (kept so the scan does no shifting)
 *   tags[i]     int    VMID (31:16) | ASID (15:0); 0 where the kind has no such tag
 *   kinds[i]    byte   one TlbEntryKind bit
 *   sizeLog2[i] byte   12..63
 *   leaves[i]   bool   true for a last-level entry, false for a walk-cache (table) entry
 * </pre>
 *
 * <p><b>Invalidation</b> is one scan with an exact predicate ({@link #invalidate}): the entry's kind is
 * in the command's kind mask, its VMID matches when the command names one, its ASID matches when the
 * command names one and the entry's kind is tagged by ASID (so global entries meet every ASID), its
 * span meets the command's range, and it is a leaf when the command is leaf-only. The model is small,
 * so a scan is fast enough and fully deterministic.
 *
 * <p><b>Threads.</b> Single writer: only the owning SMMU's engine thread calls {@link #invalidate},
 * and inserts happen on that thread or while the engine is stopped (with a happens-before edge to its
 * next start, e.g. thread start or agent hand-over). {@link #size()} and {@link #removed()} are
 * acquire loads of words the writer stores with release, so any thread may read them at any time and
 * gets a value the writer really had. {@link #contains}, {@link #count} and {@link #countOfVmid} scan
 * the entries and are for the writer thread or a stopped engine only.
 *
 * <p>Inserting an entry equal in every field to one present is a no-op (returns false); a full cache
 * refuses the insert with {@link CacheFullException} rather than evict (an eviction would look like an
 * invalidation and hide an under-broad one).
 */
public final class TlbCache
{
    /** Widest VMID and ASID: 16 bits (IDR0.VMID16, IDR0.ASID16). */
    public static final int MAX_ID = 0xFFFF;
    /** Stage-2 spans end below 2^52: TLBI_S2_IPA carries IPA bits 51:12 only (smmuv3-cmdq.md §7.5). */
    public static final int IPA_BITS = 52;
    /** Argument of {@link #invalidate} that matches every VMID or every ASID. */
    static final int ANY = -1;

    private static final VarHandle SIZE;
    private static final VarHandle REMOVED;
    private static final VarHandle REMOVED_BY_KIND = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int KINDS = Integer.bitCount(TlbEntryKind.ALL);

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(TlbCache.class, "size", int.class);
            REMOVED = lookup.findVarHandle(TlbCache.class, "removed", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int capacity;
    private final long[] first;
    private final long[] last;
    private final int[] tags;
    private final byte[] kinds;
    private final byte[] sizeLog2s;
    private final boolean[] leaves;
    /** Removals per kind, indexed by the kind's bit number; elements accessed through REMOVED_BY_KIND. */
    private final long[] removedByKind = new long[KINDS];
    @SuppressWarnings("unused") // accessed through SIZE
    private int size;
    @SuppressWarnings("unused") // accessed through REMOVED
    private long removed;

    /**
     * @param capacity most entries held at once, at least 1, at most
     *                 {@value SmmuCaches#MAX_CAPACITY}; all storage is allocated here.
     * @throws IllegalArgumentException naming {@code capacity} when out of range.
     */
    public TlbCache(final int capacity)
    {
        if (capacity < 1 || capacity > SmmuCaches.MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                "tlbCapacity=" + capacity + " is not in 1.." + SmmuCaches.MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.first = new long[capacity];
        this.last = new long[capacity];
        this.tags = new int[capacity];
        this.kinds = new byte[capacity];
        this.sizeLog2s = new byte[capacity];
        this.leaves = new boolean[capacity];
    }

    /**
     * Caches a translation, as the SMMU does when a device's access walks the tables.
     *
     * @param kind     one {@link TlbEntryKind}.
     * @param vmid     VMID, 0..{@value #MAX_ID}; must be 0 for the EL2 kinds (they have none).
     * @param asid     ASID, 0..{@value #MAX_ID}; must be 0 for the kinds with no ASID tag (globals,
     *                 STAGE2).
     * @param address  first byte of the span (VA; IPA for STAGE2), aligned to {@code 2^sizeLog2}.
     * @param sizeLog2 log2 of the span in bytes, 12..63 (a page, a block, or the span a walk-cache
     *                 entry's table covers); for STAGE2 the span must end below 2^{@value #IPA_BITS}.
     * @param leaf     true for a last-level translation, false for a walk-cache (table) entry.
     * @return true when added, false when an identical entry was already cached.
     * @throws IllegalArgumentException naming the offending argument and value.
     * @throws CacheFullException       when the cache holds {@code capacity} entries; nothing changes.
     */
    public boolean insert(
        final int kind, final int vmid, final int asid, final long address, final int sizeLog2, final boolean leaf)
    {
        check(kind, vmid, asid, address, sizeLog2);
        final int tag = tag(vmid, asid);
        final int n = (int)SIZE.get(this);
        if (find(n, kind, tag, address, sizeLog2, leaf) >= 0)
        {
            return false;
        }
        if (n == capacity)
        {
            throw new CacheFullException("TLB", capacity, describe(kind, vmid, asid, address, sizeLog2, leaf));
        }
        first[n] = address;
        last[n] = AddressSpan.last(address, sizeLog2);
        tags[n] = tag;
        kinds[n] = (byte)kind;
        sizeLog2s[n] = (byte)sizeLog2;
        leaves[n] = leaf;
        SIZE.setRelease(this, n + 1);
        return true;
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param kind     one {@link TlbEntryKind}.
     * @param vmid     VMID.
     * @param asid     ASID.
     * @param address  first byte of the span.
     * @param sizeLog2 log2 of the span.
     * @param leaf     leaf flag.
     * @return true when an entry equal in every field is cached.
     */
    public boolean contains(
        final int kind, final int vmid, final int asid, final long address, final int sizeLog2, final boolean leaf)
    {
        return find((int)SIZE.get(this), kind, tag(vmid, asid), address, sizeLog2, leaf) >= 0;
    }

    /**
     * @return entries cached now; an acquire load, any thread.
     */
    public int size()
    {
        return (int)SIZE.getAcquire(this);
    }

    /**
     * @return the fixed capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return entries removed by invalidations since construction ({@link #clear} is not an
     *         invalidation and does not count); an acquire load, any thread.
     */
    public long removed()
    {
        return (long)REMOVED.getAcquire(this);
    }

    /**
     * @param kind one {@link TlbEntryKind}.
     * @return entries of that kind removed by invalidations since construction; an acquire load, any
     *         thread.
     * @throws IllegalArgumentException naming {@code kind} when it is not one kind.
     */
    public long removed(final int kind)
    {
        if (!TlbEntryKind.isKind(kind))
        {
            throw new IllegalArgumentException("kind=" + kind + " is not one TlbEntryKind");
        }
        return (long)REMOVED_BY_KIND.getAcquire(removedByKind, Integer.numberOfTrailingZeros(kind));
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param kindMask an OR of {@link TlbEntryKind} bits.
     * @return entries whose kind is in the mask.
     */
    public int count(final int kindMask)
    {
        final int n = (int)SIZE.get(this);
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if ((kinds[i] & kindMask) != 0)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param vmid a VMID.
     * @return entries of that VMID (the kinds tagged by VMID: STAGE1, STAGE1_GLOBAL, STAGE2).
     */
    public int countOfVmid(final int vmid)
    {
        final int n = (int)SIZE.get(this);
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if ((kinds[i] & TlbEntryKind.NSNH) != 0 && (tags[i] >>> 16) == vmid)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Empties the cache (a reset, not an invalidation: {@link #removed()} is unchanged). Writer thread
     * or stopped engine only.
     */
    public void clear()
    {
        SIZE.setRelease(this, 0);
    }

    /**
     * Removes every entry the predicate selects (class comment). Writer thread only; allocates nothing.
     *
     * @param kindMask   kinds the command may remove (an OR of {@link TlbEntryKind} bits).
     * @param vmid       the command's VMID, or {@link #ANY}.
     * @param asid       the command's ASID, or {@link #ANY}; entries with no ASID tag ignore it.
     * @param rangeFirst first byte of the command's range.
     * @param rangeLast  last byte of the command's range (inclusive).
     * @param leafOnly   true when only leaf entries may be removed (LEAF = 1).
     * @return entries removed.
     */
    int invalidate(
        final int kindMask,
        final int vmid,
        final int asid,
        final long rangeFirst,
        final long rangeLast,
        final boolean leafOnly)
    {
        int n = (int)SIZE.get(this);
        int removedNow = 0;
        int i = 0;
        while (i < n)
        {
            if (hit(i, kindMask, vmid, asid, rangeFirst, rangeLast, leafOnly))
            {
                final int k = Integer.numberOfTrailingZeros(kinds[i]);
                REMOVED_BY_KIND.setRelease(removedByKind, k, (long)REMOVED_BY_KIND.get(removedByKind, k) + 1);
                n--;
                move(n, i);
                removedNow++;
            }
            else
            {
                i++;
            }
        }
        if (removedNow != 0)
        {
            SIZE.setRelease(this, n);
            REMOVED.setRelease(this, (long)REMOVED.get(this) + removedNow);
        }
        return removedNow;
    }

    private boolean hit(
        final int i,
        final int kindMask,
        final int vmid,
        final int asid,
        final long rangeFirst,
        final long rangeLast,
        final boolean leafOnly)
    {
        final int kind = kinds[i];
        final int tag = tags[i];
        return (kind & kindMask) != 0 &&
            (vmid == ANY || (tag >>> 16) == vmid) &&
            (asid == ANY || !TlbEntryKind.hasAsid(kind) || (tag & MAX_ID) == asid) &&
            (!leafOnly || leaves[i]) &&
            AddressSpan.intersects(first[i], last[i], rangeFirst, rangeLast);
    }

    private void move(final int from, final int to)
    {
        first[to] = first[from];
        last[to] = last[from];
        tags[to] = tags[from];
        kinds[to] = kinds[from];
        sizeLog2s[to] = sizeLog2s[from];
        leaves[to] = leaves[from];
    }

    private int find(
        final int n, final int kind, final int tag, final long address, final int sizeLog2, final boolean leaf)
    {
        for (int i = 0; i < n; i++)
        {
            if (kinds[i] == kind && tags[i] == tag && first[i] == address && sizeLog2s[i] == sizeLog2 &&
                leaves[i] == leaf)
            {
                return i;
            }
        }
        return -1;
    }

    private static int tag(final int vmid, final int asid)
    {
        return (vmid << 16) | (asid & MAX_ID);
    }

    private static void check(final int kind, final int vmid, final int asid, final long address, final int sizeLog2)
    {
        if (!TlbEntryKind.isKind(kind))
        {
            throw new IllegalArgumentException("kind=" + kind + " is not one TlbEntryKind");
        }
        if (vmid < 0 || vmid > MAX_ID || (vmid != 0 && !TlbEntryKind.hasVmid(kind)))
        {
            throw new IllegalArgumentException("vmid=0x" + Integer.toHexString(vmid) + " is not a 16-bit VMID" +
                (TlbEntryKind.hasVmid(kind) ? "" : " or 0 (" + TlbEntryKind.name(kind) + " entries have no VMID)"));
        }
        if (asid < 0 || asid > MAX_ID || (asid != 0 && !TlbEntryKind.hasAsid(kind)))
        {
            throw new IllegalArgumentException("asid=0x" + Integer.toHexString(asid) + " is not a 16-bit ASID" +
                (TlbEntryKind.hasAsid(kind) ? "" : " or 0 (" + TlbEntryKind.name(kind) + " entries have no ASID)"));
        }
        if (sizeLog2 < AddressSpan.MIN_SIZE_LOG2 || sizeLog2 > AddressSpan.MAX_SIZE_LOG2)
        {
            throw new IllegalArgumentException("sizeLog2=" + sizeLog2 + " is not in " + AddressSpan.MIN_SIZE_LOG2 +
                ".." + AddressSpan.MAX_SIZE_LOG2);
        }
        if (!AddressSpan.isAligned(address, sizeLog2))
        {
            throw new IllegalArgumentException("address=0x" + Long.toHexString(address) +
                " is not aligned to its span 2^" + sizeLog2);
        }
        if (kind == TlbEntryKind.STAGE2 && (sizeLog2 > IPA_BITS || (address >>> IPA_BITS) != 0))
        {
            throw new IllegalArgumentException("address=0x" + Long.toHexString(address) + " sizeLog2=" + sizeLog2 +
                ": a STAGE2 span must end below 2^" + IPA_BITS + " (TLBI_S2_IPA carries IPA bits 51:12)");
        }
    }

    private static String describe(
        final int kind, final int vmid, final int asid, final long address, final int sizeLog2, final boolean leaf)
    {
        return TlbEntryKind.name(kind) + " vmid=0x" + Integer.toHexString(vmid) + " asid=0x" +
            Integer.toHexString(asid) + " address=0x" + Long.toHexString(address) + " sizeLog2=" + sizeLog2 +
            " leaf=" + leaf;
    }
}
