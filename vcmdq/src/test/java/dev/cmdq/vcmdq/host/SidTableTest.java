package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.testkit.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SidTableTest
{
    @Test
    void sameVsidMapsToDifferentPsidsUnderDifferentViommus()
    {
        final SidTable table = new SidTable(4);
        final int a = table.addViommu(SidTable.CMDQV_SID_BITS);
        final int b = table.addViommu(SidTable.CMDQV_SID_BITS);
        table.put(a, 0x10, 0x1000);
        table.put(b, 0x10, 0x2000);
        assertEquals(0x1000, table.lookup(a, 0x10));
        assertEquals(0x2000, table.lookup(b, 0x10));
        table.put(a, 0x11, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFFL, table.lookup(a, 0x11));
        assertEquals(SidTable.NO_ENTRY, table.lookup(b, 0x11));
        assertEquals(2, table.size(a));
        assertEquals(1, table.size(b));
    }

    @Test
    void growsAndRemovesAcrossManyEntriesLikeAMapModel()
    {
        final SidTable table = new SidTable(1);
        final int h = table.addViommu(SidTable.SMMU_SID_BITS);
        final Map<Long, Long> model = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(7);
        for (int op = 0; op < 5_000; op++)
        {
            final long vsid = random.nextInt(300);
            if (model.containsKey(vsid))
            {
                assertEquals(model.remove(vsid), table.remove(h, vsid));
            }
            else
            {
                final long psid = random.nextLong(1L << 32);
                table.put(h, vsid, psid);
                model.put(vsid, psid);
            }
            final long probe = random.nextInt(300);
            assertEquals(model.getOrDefault(probe, SidTable.NO_ENTRY), table.lookup(h, probe), "vsid " + probe);
        }
        assertEquals(model.size(), table.size(h));
    }

    @Test
    void cmdqvVsidMustFitTwentyBits()
    {
        final SidTable table = new SidTable(1);
        final int h = table.addViommu(SidTable.CMDQV_SID_BITS);
        table.put(h, 0xF_FFFF, 1);
        final IommufdException e = assertThrows(IommufdException.class, () -> table.put(h, 0x10_0000, 2));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("vsid=0x100000"), e.getMessage());
        assertEquals(SidTable.NO_ENTRY, table.lookup(h, 0x10_0000));
        assertEquals(Errno.EINVAL, assertThrows(IommufdException.class, () -> table.put(h, 5, 1L << 32)).errno());
    }

    @Test
    void duplicateUnknownAndStaleHandlesAreTypedErrors()
    {
        final SidTable table = new SidTable(1);
        final int h = table.addViommu(8);
        table.put(h, 3, 30);
        assertEquals(Errno.EEXIST, assertThrows(IommufdException.class, () -> table.put(h, 3, 31)).errno());
        assertEquals(30, table.lookup(h, 3), "a refused put changes nothing");
        assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> table.remove(h, 4)).errno());
        assertEquals(Errno.EBUSY, assertThrows(IommufdException.class, () -> table.removeViommu(h)).errno());
        assertEquals(Errno.ENOMEM, assertThrows(IommufdException.class, () -> table.addViommu(8)).errno());
        table.remove(h, 3);
        table.removeViommu(h);
        final int reused = table.addViommu(8);
        assertNotEquals(h, reused, "a reused slot gets a new generation");
        table.put(reused, 3, 99);
        assertEquals(SidTable.NO_ENTRY, table.lookup(h, 3), "a stale handle never reads the slot's new owner");
        assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> table.put(h, 4, 1)).errno());
    }

    @Test
    void warmLookupsAllocateNothing()
    {
        assertTrue(AllocationProbe.isSupported());
        final SidTable table = new SidTable(2);
        final int h = table.addViommu(SidTable.CMDQV_SID_BITS);
        for (int v = 0; v < 16; v++)
        {
            table.put(h, v * 8, 0x100 + v);
        }
        final long[] sum = new long[1];
        final Runnable loop = () ->
        {
            for (int i = 0; i < 100_000; i++)
            {
                sum[0] += table.lookup(h, (i & 255));
            }
        };
        assertEquals(0, AllocationProbe.bytesOnceWarm(loop, 200, 5));
        assertTrue(sum[0] != 0);
    }

    /**
     * Hot-plug under lookup load. A writer adds and removes vSIDs in two vIOMMUs that share vSIDs; every
     * pSID it installs names its vIOMMU and a serial. Before each change it appends (version, value) to
     * its own log, then changes the table, then publishes the version; a reader notes the version before
     * and after each lookup. Afterwards each lookup is checked against the log: its result must be the
     * key's value at some version in [before, after + 1] (+1: a change is visible in the table just
     * before its version is published), and must never carry another vIOMMU's tag.
     */
    @Test
    @Tag("stress")
    void concurrentHotPlugNeverShowsAnInvalidOrForeignMapping() throws Exception
    {
        final int lookups = Integer.getInteger("cmdq.stress.ops", 1_000_000);
        final long seed = Long.getLong("cmdq.stress.seed", 20261123L);
        final int keys = 24;
        final SidTable table = new SidTable(2);
        final int[] handles = {table.addViommu(SidTable.CMDQV_SID_BITS), table.addViommu(SidTable.CMDQV_SID_BITS)};
        final AtomicLong version = new AtomicLong();
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong readerProgress = new AtomicLong();
        final int maxChanges = Math.max(1000, lookups / 16);
        final long[] logVersion = new long[maxChanges];
        final int[] logKey = new int[maxChanges];
        final long[] logValue = new long[maxChanges];
        final int[] logCount = new int[1];

        final Thread writer = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final long[] current = new long[2 * keys];
            java.util.Arrays.fill(current, SidTable.NO_ENTRY);
            int serial = 0;
            while (!done.get() && logCount[0] < maxChanges)
            {
                final int v = random.nextInt(2);
                final int vsid = random.nextInt(keys);
                final int key = v * keys + vsid;
                final long next = current[key] == SidTable.NO_ENTRY ? ((long)(v + 1) << 24) | (++serial & 0xFF_FFFF) : SidTable.NO_ENTRY;
                final long ver = version.get() + 1;
                logVersion[logCount[0]] = ver;
                logKey[logCount[0]] = key;
                logValue[logCount[0]] = next;
                logCount[0]++;
                if (next == SidTable.NO_ENTRY)
                {
                    table.remove(handles[v], vsid);
                }
                else
                {
                    table.put(handles[v], vsid, next);
                }
                current[key] = next;
                version.set(ver);
                // Pace the writer to the reader (bounded wait): a change per few lookups, not a burst.
                final long progress = readerProgress.get();
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
        writer.start();
        final SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < lookups; i++)
        {
            final int v = random.nextInt(2);
            final int vsid = random.nextInt(keys);
            rKey[i] = v * keys + vsid;
            rBefore[i] = version.get();
            rResult[i] = table.lookup(handles[v], vsid);
            rAfter[i] = version.get();
            if ((i & 15) == 15)
            {
                readerProgress.lazySet(i);
            }
            if ((i & 63) == 63)
            {
                // Pace the reader to the writer on an oversubscribed machine: each block of 64 lookups
                // waits (bounded, backing off) until the writer made another change.
                final long seen = rAfter[i];
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (version.get() == seen && writer.isAlive() && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(1_000);
                }
            }
        }
        done.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(writer.isAlive(), "writer did not stop");

        // Independent model: per key, the (version, value) history from the writer's own log.
        final List<List<long[]>> history = new ArrayList<>();
        for (int k = 0; k < 2 * keys; k++)
        {
            final List<long[]> h = new ArrayList<>();
            h.add(new long[] {0, SidTable.NO_ENTRY});
            history.add(h);
        }
        for (int c = 0; c < logCount[0]; c++)
        {
            history.get(logKey[c]).add(new long[] {logVersion[c], logValue[c]});
        }
        int concurrentHits = 0; // lookups that started at a newer version than the previous one
        for (int i = 0; i < lookups; i++)
        {
            final int key = rKey[i];
            final long result = rResult[i];
            if (result != SidTable.NO_ENTRY)
            {
                assertEquals(key / keys + 1, result >>> 24, "lookup " + i + " returned another vIOMMU's pSID");
            }
            final List<long[]> h = history.get(key);
            boolean valid = false;
            for (int j = 0; j < h.size() && !valid; j++)
            {
                final long from = h.get(j)[0];
                final long until = j + 1 < h.size() ? h.get(j + 1)[0] : Long.MAX_VALUE;
                // value j is in effect for versions [from, until); the lookup may see versions [before, after+1].
                valid = h.get(j)[1] == result && from <= rAfter[i] + 1 && until > rBefore[i];
            }
            assertTrue(valid, "lookup " + i + " of key " + key + " returned 0x" + Long.toHexString(result) +
                ", never valid between versions " + rBefore[i] + " and " + (rAfter[i] + 1));
            if (i > 0 && rBefore[i] != rBefore[i - 1])
            {
                concurrentHits++;
            }
        }
        assertTrue(logCount[0] > 100, "the writer must really have hot-plugged: " + logCount[0]);
        assertTrue(concurrentHits >= Math.min(logCount[0], lookups / 64) / 2, "the reader must have seen the table change while it ran: " + concurrentHits);
    }
}
