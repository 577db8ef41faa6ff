package dev.cmdq.vcmdq.hw.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The model of the ATCs (ATS translation caches) of the devices behind one SMMU, which ATC_INV acts on:
 * a fixed number of entries, each an aligned address span of one StreamID, either without PASID or
 * tagged by the SubstreamID (PASID) it was translated for. There are no global ATC entries: an SMMU
 * answers a PASID-tagged translation request with the Global bit zero (IHI0070 §3.9.1), so no device
 * can hold one, and the Global flag of ATC_INV has nothing to act on.
 *
 * <pre>
 *   slot i, 0 &lt;= i &lt; size (dense: a removal moves the last entry into the hole)
 *   sids[i]     long   StreamID, 0..2^32-1
 *   ssids[i]    int    SubstreamID 0..2^20-1, or NO_SSID (-1) for a translation without PASID
 *   first[i]    long   first byte (untranslated address) of the span
 *   last[i]     long   last byte, first + 2^sizeLog2 - 1
 * </pre>
 *
 * <p><b>ATC_INV semantics</b> ({@link #invalidate}): only entries of the command's StreamID, and only
 * spans meeting the command's range, are removed; then
 * <ul>
 *   <li>SSV = 0: the invalidation is sent without a PASID prefix, which the device applies to every
 *       entry in the range, with or without PASID (the Linux driver's comment on
 *       {@code arm_smmu_atc_inv_to_cmd}: "there is no way to invalidate only entries without
 *       PASID");</li>
 *   <li>SSV = 1: entries tagged with that SSID; entries without PASID stay.</li>
 * </ul>
 *
 * <p><b>Threads</b> as {@link TlbCache}: single writer; {@link #size()} and {@link #removed()} are
 * acquire loads for any thread; the scanning queries are for the writer thread or a stopped engine.
 * An identical insert is a no-op; a full cache refuses with {@link CacheFullException}.
 */
public final class AtcCache
{
    /** SubstreamID of an entry translated without PASID. */
    public static final int NO_SSID = -1;
    /** Widest SubstreamID: 20 bits. */
    public static final int MAX_SSID = 0xF_FFFF;
    /** Widest StreamID: 32 bits. */
    public static final long MAX_SID = 0xFFFF_FFFFL;

    private static final VarHandle SIZE;
    private static final VarHandle REMOVED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(AtcCache.class, "size", int.class);
            REMOVED = lookup.findVarHandle(AtcCache.class, "removed", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int capacity;
    private final long[] sids;
    private final int[] ssids;
    private final long[] first;
    private final long[] last;
    @SuppressWarnings("unused") // accessed through SIZE
    private int size;
    @SuppressWarnings("unused") // accessed through REMOVED
    private long removed;

    /**
     * @param capacity most entries held at once, at least 1, at most
     *                 {@value SmmuCaches#MAX_CAPACITY}; all storage is allocated here.
     * @throws IllegalArgumentException naming {@code capacity} when out of range.
     */
    public AtcCache(final int capacity)
    {
        if (capacity < 1 || capacity > SmmuCaches.MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                "atcCapacity=" + capacity + " is not in 1.." + SmmuCaches.MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.sids = new long[capacity];
        this.ssids = new int[capacity];
        this.first = new long[capacity];
        this.last = new long[capacity];
    }

    /**
     * Caches a translation in a device's ATC, as a successful ATS translation request does.
     *
     * @param sid      StreamID, 0..2^32-1.
     * @param ssid     SubstreamID (PASID) 0..{@value #MAX_SSID}, or {@link #NO_SSID}.
     * @param address  first byte of the span, aligned to {@code 2^sizeLog2}.
     * @param sizeLog2 log2 of the span in bytes, 12..63.
     * @return true when added, false when an identical entry was already cached.
     * @throws IllegalArgumentException naming the offending argument and value.
     * @throws CacheFullException       when the cache holds {@code capacity} entries; nothing changes.
     */
    public boolean insert(final long sid, final int ssid, final long address, final int sizeLog2)
    {
        check(sid, ssid, address, sizeLog2);
        final int n = (int)SIZE.get(this);
        if (find(n, sid, ssid, address, sizeLog2) >= 0)
        {
            return false;
        }
        if (n == capacity)
        {
            throw new CacheFullException("ATC", capacity, "sid=0x" + Long.toHexString(sid) + " ssid=" + ssid +
                " address=0x" + Long.toHexString(address) + " sizeLog2=" + sizeLog2);
        }
        sids[n] = sid;
        ssids[n] = ssid;
        first[n] = address;
        last[n] = AddressSpan.last(address, sizeLog2);
        SIZE.setRelease(this, n + 1);
        return true;
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param sid      StreamID.
     * @param ssid     SubstreamID or {@link #NO_SSID}.
     * @param address  first byte of the span.
     * @param sizeLog2 log2 of the span.
     * @return true when an entry equal in every field is cached.
     */
    public boolean contains(final long sid, final int ssid, final long address, final int sizeLog2)
    {
        return find((int)SIZE.get(this), sid, ssid, address, sizeLog2) >= 0;
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
     * @return entries removed by ATC_INV since construction ({@link #clear} does not count); an acquire
     *         load, any thread.
     */
    public long removed()
    {
        return (long)REMOVED.getAcquire(this);
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param sid a StreamID.
     * @return entries of that StreamID.
     */
    public int countOfSid(final long sid)
    {
        final int n = (int)SIZE.get(this);
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (sids[i] == sid)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Empties the cache (a reset, not an invalidation). Writer thread or stopped engine only.
     */
    public void clear()
    {
        SIZE.setRelease(this, 0);
    }

    /**
     * Removes the entries one ATC_INV selects (class comment). Writer thread only; allocates nothing.
     *
     * @param sid        the command's StreamID.
     * @param ssv        the command's SSV.
     * @param ssid       the command's SubstreamID (ignored when {@code ssv} is false).
     * @param rangeFirst first byte of the command's span.
     * @param rangeLast  last byte of the command's span (inclusive).
     * @return entries removed.
     */
    int invalidate(
        final long sid,
        final boolean ssv,
        final int ssid,
        final long rangeFirst,
        final long rangeLast)
    {
        int n = (int)SIZE.get(this);
        int removedNow = 0;
        int i = 0;
        while (i < n)
        {
            if (sids[i] == sid &&
                (!ssv || ssids[i] == ssid) &&
                AddressSpan.intersects(first[i], last[i], rangeFirst, rangeLast))
            {
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

    private void move(final int from, final int to)
    {
        sids[to] = sids[from];
        ssids[to] = ssids[from];
        first[to] = first[from];
        last[to] = last[from];
    }

    private int find(
        final int n, final long sid, final int ssid, final long address, final int sizeLog2)
    {
        final long lastByte = AddressSpan.last(address, sizeLog2);
        for (int i = 0; i < n; i++)
        {
            if (sids[i] == sid && ssids[i] == ssid && first[i] == address &&
                last[i] == lastByte)
            {
                return i;
            }
        }
        return -1;
    }

    private static void check(final long sid, final int ssid, final long address, final int sizeLog2)
    {
        if (sid < 0 || sid > MAX_SID)
        {
            throw new IllegalArgumentException("sid=0x" + Long.toHexString(sid) + " is not a 32-bit StreamID");
        }
        if (ssid != NO_SSID && (ssid < 0 || ssid > MAX_SSID))
        {
            throw new IllegalArgumentException("ssid=0x" + Integer.toHexString(ssid) +
                " is neither a 20-bit SubstreamID nor NO_SSID");
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
    }
}
