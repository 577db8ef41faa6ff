package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.testkit.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        // A late JIT transition can charge the thread a few stray bytes once (see AllocationProbe); an
        // allocating lookup would show in every window, so one of three windows must be clean.
        long bytes = -1;
        for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
        {
            bytes = AllocationProbe.bytesOnceWarm(loop, 200, 5);
        }
        assertEquals(0, bytes);
        assertTrue(sum[0] != 0);
    }

    @Test
    @Tag("stress")
    void concurrentHotPlugNeverShowsAnInvalidOrForeignMapping() throws Exception
    {
        final SidTable table = new SidTable(2);
        final int[] handles = {table.addViommu(SidTable.CMDQV_SID_BITS), table.addViommu(SidTable.CMDQV_SID_BITS)};
        final SidHotPlugStress.Outcome outcome = SidHotPlugStress.run(new SidHotPlugStress.Map()
        {
            @Override
            public void put(final int viommu, final int vsid, final long psid)
            {
                table.put(handles[viommu], vsid, psid);
            }

            @Override
            public void remove(final int viommu, final int vsid)
            {
                table.remove(handles[viommu], vsid);
            }

            @Override
            public long lookup(final int viommu, final int vsid)
            {
                return table.lookup(handles[viommu], vsid);
            }
        }, Integer.getInteger("cmdq.stress.ops", 1_000_000), Long.getLong("cmdq.stress.seed", 20261123L));
        assertEquals(0, outcome.foreign(), outcome.toString());
        assertEquals(0, outcome.invalid(), outcome.toString());
        assertTrue(outcome.changes() > 100, "the writer must really have hot-plugged: " + outcome);
        assertTrue(outcome.versionsSeen() > 100, "the reader must have seen the map change while it ran: " + outcome);
    }

    /**
     * Negative control: the same checker over an in-place open-addressing map that writes an entry's key
     * before its pSID (a real half-made-entry race, window widened by a short park) must report invalid
     * lookups — so a pass above is not the checker's blindness.
     */
    @Test
    @Tag("stress")
    void checkerCatchesHalfMadeEntriesOfAnInPlaceMap() throws Exception
    {
        final InPlaceMap map = new InPlaceMap();
        final SidHotPlugStress.Outcome outcome = SidHotPlugStress.run(map, 20_000, 20261123L);
        assertTrue(outcome.lookupsDuringChanges() > 0, "lookups must have overlapped changes: " + outcome);
        assertTrue(outcome.invalid() > 0, "the in-place map's race must be seen: " + outcome);
    }

    /** Two vIOMMUs, 64 slots each, linear probing, tombstones; writes key, then (later) pSID. */
    private static final class InPlaceMap implements SidHotPlugStress.Map
    {
        private final long[][] keys = {new long[64], new long[64]};
        private final int[][] psids = {new int[64], new int[64]};

        @Override
        public void put(final int viommu, final int vsid, final long psid)
        {
            int i = vsid & 63;
            while (keys[viommu][i] > 0)
            {
                i = (i + 1) & 63;
            }
            java.lang.invoke.VarHandle.releaseFence();
            keys[viommu][i] = vsid + 1;
            LockSupport.parkNanos(50_000);
            psids[viommu][i] = (int)psid;
        }

        @Override
        public void remove(final int viommu, final int vsid)
        {
            for (int i = 0; i < 64; i++)
            {
                if (keys[viommu][i] == vsid + 1)
                {
                    keys[viommu][i] = -1;
                }
            }
        }

        @Override
        public long lookup(final int viommu, final int vsid)
        {
            int i = vsid & 63;
            for (int n = 0; n < 64; n++)
            {
                final long k = keys[viommu][i];
                if (k == vsid + 1)
                {
                    return Integer.toUnsignedLong(psids[viommu][i]);
                }
                if (k == 0)
                {
                    return SidTable.NO_ENTRY;
                }
                i = (i + 1) & 63;
            }
            return SidTable.NO_ENTRY;
        }
    }
}
