package dev.cmdq.vcmdq.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * A second implementation of linux-unmap-sequences.md §3-§6, written from the document alone for tests:
 * plain loops in the document's own form ({@code while a < end}), words assembled from the bit
 * positions of smmuv3-cmdq.md §2, and the batch rules of §4 applied to a list. It produces the
 * {@code commands} and {@code issues} texts of the vector format.
 */
final class UnmapReferenceModel
{
    private final List<long[]> group = new ArrayList<>();
    private final List<String> entries = new ArrayList<>();
    private final List<String> issues = new ArrayList<>();
    private long syncWord;

    /**
     * Runs one request.
     *
     * @return {commands, issues} as the vector columns print them.
     */
    String[] run(final UnmapRequest r, final boolean forceSync, final int syncCs)
    {
        entries.clear();
        issues.clear();
        syncWord = syncCs == 0 ? 0x0fc00046L : 0x0fc02046L;
        switch (r.op())
        {
            case TLB_INV_RANGE_ASID:
                range(r, forceSync);
                break;
            case TLB_INV_RANGE_DOMAIN:
                range(r, forceSync);
                if (r.ats())
                {
                    atc(r.sid(), r.ssid(), r.iova(), r.size(), forceSync);
                }
                break;
            case ATC_INV:
                atc(r.sid(), r.ssid(), r.iova(), r.size(), forceSync);
                break;
            case TLB_INV_CONTEXT:
                entry(0x11L | ((long)r.vmid() << 32) | ((long)r.asid() << 48), 0);
                entry(syncWord, 0);
                issues.add("1+S");
                if (r.ats())
                {
                    atc(r.sid(), r.ssid(), 0, 0, forceSync);
                }
                break;
            default:
                throw new IllegalStateException();
        }
        return new String[]{String.join("|", entries), String.join("/", issues)};
    }

    private void range(final UnmapRequest r, final boolean forceSync)
    {
        if (r.size() == 0)
        {
            return;
        }
        group.clear();
        long a = r.iova();
        final long end = r.iova() + r.size();
        final long leaf = r.leaf() ? 1 : 0;
        if (!r.rangeInvalidation())
        {
            while (Long.compareUnsigned(a, end) < 0)
            {
                group.add(tlbi(r, 0, 0, 0, 0, a, leaf));
                a += r.granule();
            }
        }
        else
        {
            final int t = log2(r.pageSize());
            final int tg = (t - 10) / 2;
            long pages = r.size() >> t;
            int ttl = 0;
            if (r.leaf())
            {
                ttl = 4 - (log2(r.granule()) - 3) / (t - 3);
            }
            else if (pages % 32 == 1)
            {
                pages += 1;
            }
            while (Long.compareUnsigned(a, end) < 0)
            {
                int scale = 0;
                while (((pages >> scale) & 1) == 0)
                {
                    scale++;
                }
                final long num = (pages >> scale) & 31;
                group.add(tlbi(r, num - 1, scale, tg, ttl, a, leaf));
                pages -= num << scale;
                a += num << (scale + t);
            }
        }
        submit(forceSync);
    }

    private void atc(final long sid, final int ssid, final long iova, final long size, final boolean forceSync)
    {
        long address = 0;
        long span = 52;
        if (size != 0)
        {
            final long first = iova >>> 12;
            final long last = (iova + size - 1) >>> 12;
            span = 0;
            while ((first >>> span) != (last >>> span))
            {
                span++;
            }
            address = (first >>> span) << span << 12;
        }
        group.clear();
        group.add(new long[]{0x40L | ((ssid != 0 ? 1L : 0L) << 11) | ((long)ssid << 12) | (sid << 32), address | span});
        submit(forceSync);
    }

    private static long[] tlbi(
        final UnmapRequest r, final long numField, final int scale, final int tg, final int ttl, final long a, final long leaf)
    {
        final long dw0 = 0x12L | ((numField & 31) << 12) | ((long)(scale & 31) << 20) | ((long)r.vmid() << 32) |
            ((long)r.asid() << 48);
        final long dw1 = (a & ~0xFFFL) | ((long)tg << 10) | ((long)(ttl & 3) << 8) | leaf;
        return new long[]{dw0, dw1};
    }

    /** §4: add each command (63 held with FORCE_SYNC: issue with sync; 64 held: issue without), then submit. */
    private void submit(final boolean forceSync)
    {
        int held = 0;
        for (final long[] command : group)
        {
            if (forceSync && held == 63)
            {
                entry(syncWord, 0);
                issues.add(held + "+S");
                held = 0;
            }
            if (held == 64)
            {
                issues.add("64");
                held = 0;
            }
            entry(command[0], command[1]);
            held++;
        }
        entry(syncWord, 0);
        issues.add(held + "+S");
    }

    private void entry(final long dw0, final long dw1)
    {
        entries.add(String.format("%016x:%016x", dw0, dw1));
    }

    private static int log2(final long powerOfTwo)
    {
        int n = 0;
        while ((1L << n) != powerOfTwo)
        {
            n++;
        }
        return n;
    }
}
