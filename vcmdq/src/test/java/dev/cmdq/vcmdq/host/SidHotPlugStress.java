package dev.cmdq.vcmdq.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hot-plug under lookup load, checked against an independent ownership model. A writer adds and removes
 * vSIDs 0..23 in two vIOMMUs (the same vSIDs in both); every pSID it installs carries its vIOMMU's tag in
 * bits 31:24 and a serial below. Before a change it appends (version, key, value) to its own log and
 * announces the change; then it changes the map; then it publishes the version. A reader notes the
 * published version before and after each lookup. Afterwards every lookup is checked: its result must be
 * the key's value at some version in [before, after + 1] (+1: a change is visible in the map just before
 * its version is published), and a pSID must never carry the other vIOMMU's tag. Both threads pace each
 * other with bounded, backing-off waits so changes and lookups overlap on an oversubscribed machine.
 */
final class SidHotPlugStress
{
    private static final int KEYS = 24;

    /** The map under test: two vIOMMUs (0, 1), vSIDs 0..23. */
    interface Map
    {
        void put(int viommu, int vsid, long psid);

        void remove(int viommu, int vsid);

        long lookup(int viommu, int vsid);
    }

    /**
     * @param lookups              lookups made.
     * @param changes              hot-plug changes made.
     * @param invalid              lookups whose result was never valid during the lookup.
     * @param foreign              lookups that returned the other vIOMMU's pSID.
     * @param lookupsDuringChanges lookups made while a change was announced but not yet published.
     * @param versionsSeen         lookups that started at a newer version than the previous lookup.
     */
    record Outcome(int lookups, int changes, int invalid, int foreign, int lookupsDuringChanges, int versionsSeen)
    {
    }

    private SidHotPlugStress()
    {
    }

    static Outcome run(final Map map, final int lookups, final long seed) throws InterruptedException
    {
        final AtomicLong version = new AtomicLong();
        final AtomicInteger announced = new AtomicInteger();
        final AtomicLong readerProgress = new AtomicLong();
        final AtomicBoolean done = new AtomicBoolean();
        final int maxChanges = Math.max(1000, lookups / 16);
        final long[] logVersion = new long[maxChanges];
        final int[] logKey = new int[maxChanges];
        final long[] logValue = new long[maxChanges];
        final int[] logCount = new int[1];

        final Thread writer = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final long[] current = new long[2 * KEYS];
            Arrays.fill(current, SidTable.NO_ENTRY);
            int serial = 0;
            while (!done.get() && logCount[0] < maxChanges)
            {
                final int v = random.nextInt(2);
                final int vsid = random.nextInt(KEYS);
                final int key = v * KEYS + vsid;
                final long next = current[key] == SidTable.NO_ENTRY ?
                    ((long)(v + 1) << 24) | (++serial & 0xFF_FFFF) : SidTable.NO_ENTRY;
                final long ver = version.get() + 1;
                final int n = logCount[0];
                logVersion[n] = ver;
                logKey[n] = key;
                logValue[n] = next;
                logCount[0] = n + 1;
                // Read the reader's progress before announcing, so progress made after the announcement
                // releases the wait below (reading it afterwards could miss it and stall both threads).
                final long progress = readerProgress.get();
                announced.set(n + 1);
                if (next == SidTable.NO_ENTRY)
                {
                    map.remove(v, vsid);
                }
                else
                {
                    map.put(v, vsid, next);
                }
                current[key] = next;
                version.set(ver);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (readerProgress.get() == progress && !done.get() && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(1_000);
                }
            }
        }, "sid-hotplug");

        final int[] rKey = new int[lookups];
        final long[] rResult = new long[lookups];
        final long[] rBefore = new long[lookups];
        final long[] rAfter = new long[lookups];
        final boolean[] rDuring = new boolean[lookups];
        writer.start();
        final SplittableRandom random = new SplittableRandom(seed + 1);
        int lastAnnounced = 0;
        for (int i = 0; i < lookups; i++)
        {
            final int v = random.nextInt(2);
            final int vsid = random.nextInt(KEYS);
            rKey[i] = v * KEYS + vsid;
            rBefore[i] = version.get();
            rDuring[i] = announced.get() > rBefore[i];
            rResult[i] = map.lookup(v, vsid);
            rAfter[i] = version.get();
            if ((i & 15) == 15)
            {
                readerProgress.lazySet(i);
            }
            if ((i & 63) == 63)
            {
                // Wait (bounded) until the writer announced another change, so the next lookups overlap it.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (announced.get() == lastAnnounced && writer.isAlive() && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(1_000);
                }
                lastAnnounced = announced.get();
            }
        }
        done.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(60));
        if (writer.isAlive())
        {
            throw new IllegalStateException("writer did not stop");
        }

        final List<List<long[]>> history = new ArrayList<>();
        for (int k = 0; k < 2 * KEYS; k++)
        {
            final List<long[]> h = new ArrayList<>();
            h.add(new long[] {0, SidTable.NO_ENTRY});
            history.add(h);
        }
        for (int c = 0; c < logCount[0]; c++)
        {
            history.get(logKey[c]).add(new long[] {logVersion[c], logValue[c]});
        }
        int invalid = 0;
        int foreign = 0;
        int during = 0;
        int seen = 0;
        for (int i = 0; i < lookups; i++)
        {
            final int key = rKey[i];
            final long result = rResult[i];
            if (result != SidTable.NO_ENTRY && (result >>> 24) != key / KEYS + 1)
            {
                foreign++;
            }
            final List<long[]> h = history.get(key);
            boolean valid = false;
            for (int j = 0; j < h.size() && !valid; j++)
            {
                final long from = h.get(j)[0];
                final long until = j + 1 < h.size() ? h.get(j + 1)[0] : Long.MAX_VALUE;
                valid = h.get(j)[1] == result && from <= rAfter[i] + 1 && until > rBefore[i];
            }
            invalid += valid ? 0 : 1;
            during += rDuring[i] ? 1 : 0;
            seen += i > 0 && rBefore[i] != rBefore[i - 1] ? 1 : 0;
        }
        return new Outcome(lookups, logCount[0], invalid, foreign, during, seen);
    }
}
