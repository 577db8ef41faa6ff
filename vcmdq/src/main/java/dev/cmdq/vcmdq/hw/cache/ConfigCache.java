package dev.cmdq.vcmdq.hw.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The model of one SMMU's configuration cache: Stream Table Entries cached by StreamID and Context
 * Descriptors cached by (StreamID, SubstreamID), in one pool of a fixed number of entries.
 *
 * <pre>
 *   slot i, 0 &lt;= i &lt; size (dense: a removal moves the last entry into the hole)
 *   sids[i]    long   StreamID, 0..2^32-1
 *   ssids[i]   int    SubstreamID 0..2^20-1 of a CD, or STE (-1) for a Stream Table Entry
 * </pre>
 *
 * <p><b>CFGI semantics:</b> an STE invalidation ({@link #invalidateStreams}: CFGI_STE, CFGI_STE_RANGE,
 * CFGI_ALL) removes the STEs of its StreamIDs <em>and the CDs cached through them</em> — a CD was
 * fetched through its STE, and once software changes the STE (say, its context pointer) the old CDs
 * must not be used; QEMU's model likewise drops a stream's whole configuration on CFGI_STE. A CD
 * invalidation ({@link #invalidateCd}, {@link #invalidateCds}) removes CDs only and leaves the STE.
 * Intermediate levels (L1 stream-table and L1 CD descriptors) are not modelled, so Leaf changes
 * nothing here.
 *
 * <p><b>Threads</b> as {@link TlbCache}: single writer; {@link #size()}, {@link #steCount()},
 * {@link #cdCount()}, {@link #removedStes()} and {@link #removedCds()} are each an acquire load for any
 * thread (each is consistent on its own; two of them read one after the other may straddle a command);
 * the scanning queries are for the writer thread or a stopped engine. An identical insert is a no-op;
 * a full cache refuses with {@link CacheFullException}.
 */
public final class ConfigCache
{
    /** The SubstreamID column of an STE entry. */
    static final int STE = -1;

    private static final VarHandle STES;
    private static final VarHandle CDS;
    private static final VarHandle REMOVED_STES;
    private static final VarHandle REMOVED_CDS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STES = lookup.findVarHandle(ConfigCache.class, "stes", int.class);
            CDS = lookup.findVarHandle(ConfigCache.class, "cds", int.class);
            REMOVED_STES = lookup.findVarHandle(ConfigCache.class, "removedStes", long.class);
            REMOVED_CDS = lookup.findVarHandle(ConfigCache.class, "removedCds", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int capacity;
    private final long[] sids;
    private final int[] ssids;
    @SuppressWarnings("unused") // accessed through STES
    private int stes;
    @SuppressWarnings("unused") // accessed through CDS
    private int cds;
    @SuppressWarnings("unused") // accessed through REMOVED_STES
    private long removedStes;
    @SuppressWarnings("unused") // accessed through REMOVED_CDS
    private long removedCds;

    /**
     * @param capacity most entries (STEs and CDs together) held at once, 1..
     *                 {@value SmmuCaches#MAX_CAPACITY}; all storage is allocated here.
     * @throws IllegalArgumentException naming {@code capacity} when out of range.
     */
    public ConfigCache(final int capacity)
    {
        if (capacity < 1 || capacity > SmmuCaches.MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                "configCapacity=" + capacity + " is not in 1.." + SmmuCaches.MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.sids = new long[capacity];
        this.ssids = new int[capacity];
    }

    /**
     * Caches the STE of a stream, as the SMMU does when it first sees a transaction of it.
     *
     * @param sid StreamID, 0..2^32-1.
     * @return true when added, false when already cached.
     * @throws IllegalArgumentException naming {@code sid} when out of range.
     * @throws CacheFullException       when the cache is full; nothing changes.
     */
    public boolean insertSte(final long sid)
    {
        checkSid(sid);
        return insert(sid, STE);
    }

    /**
     * Caches a CD of a stream.
     *
     * @param sid  StreamID, 0..2^32-1.
     * @param ssid SubstreamID, 0..{@value AtcCache#MAX_SSID} (0 for a stream without substreams).
     * @return true when added, false when already cached.
     * @throws IllegalArgumentException naming {@code sid} or {@code ssid} when out of range.
     * @throws CacheFullException       when the cache is full; nothing changes.
     */
    public boolean insertCd(final long sid, final int ssid)
    {
        checkSid(sid);
        if (ssid < 0 || ssid > AtcCache.MAX_SSID)
        {
            throw new IllegalArgumentException("ssid=0x" + Integer.toHexString(ssid) + " is not a 20-bit SubstreamID");
        }
        return insert(sid, ssid);
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param sid StreamID.
     * @return true when the stream's STE is cached.
     */
    public boolean containsSte(final long sid)
    {
        return find(sid, STE) >= 0;
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param sid  StreamID.
     * @param ssid SubstreamID.
     * @return true when the CD is cached.
     */
    public boolean containsCd(final long sid, final int ssid)
    {
        return ssid >= 0 && find(sid, ssid) >= 0;
    }

    /**
     * Writer thread or stopped engine only.
     *
     * @param sid a StreamID.
     * @return entries (its STE and CDs) of that stream.
     */
    public int countOfSid(final long sid)
    {
        final int n = size();
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
     * @return STEs and CDs cached now; any thread (two acquire loads, so it may straddle a command).
     */
    public int size()
    {
        return steCount() + cdCount();
    }

    /**
     * @return STEs cached now; an acquire load, any thread.
     */
    public int steCount()
    {
        return (int)STES.getAcquire(this);
    }

    /**
     * @return CDs cached now; an acquire load, any thread.
     */
    public int cdCount()
    {
        return (int)CDS.getAcquire(this);
    }

    /**
     * @return the fixed capacity (STEs and CDs together).
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return STEs removed by invalidations since construction; an acquire load, any thread.
     */
    public long removedStes()
    {
        return (long)REMOVED_STES.getAcquire(this);
    }

    /**
     * @return CDs removed by invalidations since construction; an acquire load, any thread.
     */
    public long removedCds()
    {
        return (long)REMOVED_CDS.getAcquire(this);
    }

    /**
     * Empties the cache (a reset, not an invalidation). Writer thread or stopped engine only.
     */
    public void clear()
    {
        STES.setRelease(this, 0);
        CDS.setRelease(this, 0);
    }

    /**
     * Removes the STEs and CDs of the StreamIDs {@code firstSid..lastSid} (CFGI_STE with one SID,
     * CFGI_STE_RANGE with an aligned block). Writer thread only; allocates nothing.
     *
     * @param firstSid first StreamID.
     * @param lastSid  last StreamID (inclusive).
     * @return entries removed.
     */
    int invalidateStreams(final long firstSid, final long lastSid)
    {
        return remove(firstSid, lastSid, true, STE);
    }

    /**
     * Removes one CD (CFGI_CD). Writer thread only.
     *
     * @param sid  StreamID.
     * @param ssid SubstreamID.
     * @return entries removed (0 or 1).
     */
    int invalidateCd(final long sid, final int ssid)
    {
        return remove(sid, sid, false, ssid);
    }

    /**
     * Removes every CD of a stream, not its STE (CFGI_CD_ALL). Writer thread only.
     *
     * @param sid StreamID.
     * @return entries removed.
     */
    int invalidateCds(final long sid)
    {
        return remove(sid, sid, false, STE);
    }

    /**
     * @param withStes  remove STEs too (else CDs only).
     * @param ssid      a CD's SubstreamID to remove only that CD, or {@link #STE} for every CD.
     */
    private int remove(final long firstSid, final long lastSid, final boolean withStes, final int ssid)
    {
        int steN = (int)STES.get(this);
        int cdN = (int)CDS.get(this);
        int n = steN + cdN;
        final int steBefore = steN;
        final int cdBefore = cdN;
        int i = 0;
        while (i < n)
        {
            final long sid = sids[i];
            final int entrySsid = ssids[i];
            final boolean isSte = entrySsid == STE;
            if (sid >= firstSid && sid <= lastSid &&
                (isSte ? withStes : (ssid == STE || entrySsid == ssid)))
            {
                n--;
                sids[i] = sids[n];
                ssids[i] = ssids[n];
                if (isSte)
                {
                    steN--;
                }
                else
                {
                    cdN--;
                }
            }
            else
            {
                i++;
            }
        }
        final int removedSteNow = steBefore - steN;
        final int removedCdNow = cdBefore - cdN;
        if (removedSteNow != 0)
        {
            STES.setRelease(this, steN);
            REMOVED_STES.setRelease(this, (long)REMOVED_STES.get(this) + removedSteNow);
        }
        if (removedCdNow != 0)
        {
            CDS.setRelease(this, cdN);
            REMOVED_CDS.setRelease(this, (long)REMOVED_CDS.get(this) + removedCdNow);
        }
        return removedSteNow + removedCdNow;
    }

    private boolean insert(final long sid, final int ssid)
    {
        if (find(sid, ssid) >= 0)
        {
            return false;
        }
        final int steN = (int)STES.get(this);
        final int cdN = (int)CDS.get(this);
        final int n = steN + cdN;
        if (n == capacity)
        {
            throw new CacheFullException("config cache", capacity, ssid == STE ?
                "STE sid=0x" + Long.toHexString(sid) : "CD sid=0x" + Long.toHexString(sid) + " ssid=0x" +
                Integer.toHexString(ssid));
        }
        sids[n] = sid;
        ssids[n] = ssid;
        if (ssid == STE)
        {
            STES.setRelease(this, steN + 1);
        }
        else
        {
            CDS.setRelease(this, cdN + 1);
        }
        return true;
    }

    private int find(final long sid, final int ssid)
    {
        final int n = (int)STES.get(this) + (int)CDS.get(this);
        for (int i = 0; i < n; i++)
        {
            if (sids[i] == sid && ssids[i] == ssid)
            {
                return i;
            }
        }
        return -1;
    }

    private static void checkSid(final long sid)
    {
        if (sid < 0 || sid > AtcCache.MAX_SID)
        {
            throw new IllegalArgumentException("sid=0x" + Long.toHexString(sid) + " is not a 32-bit StreamID");
        }
    }
}
