package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.hw.cache.AtcCache;
import dev.cmdq.vcmdq.hw.cache.SmmuCaches;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A test's own bookkeeping of the cache entries it inserted on each physical SMMU and of the ones an
 * invalidation must remove by the spec (the scope table of hw.cache's package doc, IHI0070 §4.3–4.5) —
 * the independent oracle of the end-to-end tests. Expectations never come from the caches themselves:
 * after each step every inserted entry is looked up and must be present exactly when the book says it
 * survives, and each cache must hold exactly the survivors (nothing else was inserted).
 */
final class CacheBook
{
    /** A TLB entry. */
    record Tlb(int smmu, int kind, int vmid, int asid, long address, int sizeLog2, boolean leaf)
    {
        long last()
        {
            return address + (1L << sizeLog2) - 1;
        }

        boolean covers(final long va)
        {
            return Long.compareUnsigned(va, address) >= 0 && Long.compareUnsigned(va, last()) <= 0;
        }
    }

    /** An ATC entry of a device (physical SID). */
    record Atc(int smmu, long sid, int ssid, long address, int sizeLog2)
    {
        boolean overlaps(final long first, final long last)
        {
            final long end = address + (1L << sizeLog2) - 1;
            return Long.compareUnsigned(address, last) <= 0 && Long.compareUnsigned(first, end) <= 0;
        }
    }

    /** A configuration entry: an STE ({@code ssid} = -1) or a CD. */
    record Config(int smmu, long sid, int ssid)
    {
        boolean isSte()
        {
            return ssid < 0;
        }
    }

    final List<Tlb> tlb = new ArrayList<>();
    final List<Atc> atc = new ArrayList<>();
    final List<Config> config = new ArrayList<>();

    void tlb(final int smmu, final int kind, final int vmid, final int asid, final long address, final int sizeLog2, final boolean leaf)
    {
        tlb.add(new Tlb(smmu, kind, vmid, asid, address, sizeLog2, leaf));
    }

    void atc(final int smmu, final long sid, final int ssid, final long address, final int sizeLog2)
    {
        atc.add(new Atc(smmu, sid, ssid, address, sizeLog2));
    }

    void ste(final int smmu, final long sid)
    {
        config.add(new Config(smmu, sid, -1));
    }

    void cd(final int smmu, final long sid, final int ssid)
    {
        config.add(new Config(smmu, sid, ssid));
    }

    /** Inserts every booked entry into its SMMU's caches (through the gate). */
    void insertInto(final Platform platform)
    {
        for (int s = 0; s < platform.smmuCount(); s++)
        {
            final int smmu = s;
            platform.withCaches(smmu, caches ->
            {
                for (final Tlb e : tlb)
                {
                    if (e.smmu() == smmu)
                    {
                        caches.tlb().insert(e.kind(), e.vmid(), e.asid(), e.address(), e.sizeLog2(), e.leaf());
                    }
                }
                for (final Atc e : atc)
                {
                    if (e.smmu() == smmu)
                    {
                        caches.atc().insert(e.sid(), e.ssid(), e.address(), e.sizeLog2());
                    }
                }
                for (final Config e : config)
                {
                    if (e.smmu() == smmu)
                    {
                        if (e.isSte())
                        {
                            caches.config().insertSte(e.sid());
                        }
                        else
                        {
                            caches.config().insertCd(e.sid(), e.ssid());
                        }
                    }
                }
            });
        }
    }

    /** The book's copy of an invalidation: these TLB entries must be gone. */
    void removeTlb(final Predicate<Tlb> removed)
    {
        tlb.removeIf(removed);
    }

    void removeAtc(final Predicate<Atc> removed)
    {
        atc.removeIf(removed);
    }

    void removeConfig(final Predicate<Config> removed)
    {
        config.removeIf(removed);
    }

    /**
     * Every surviving booked entry is cached, and each cache holds nothing else.
     *
     * @param platform the platform.
     * @param step     what was just done, for messages.
     */
    void assertExactly(final Platform platform, final String step)
    {
        for (int s = 0; s < platform.smmuCount(); s++)
        {
            final int smmu = s;
            platform.withCaches(smmu, caches -> assertSmmu(smmu, caches, step));
        }
    }

    private void assertSmmu(final int smmu, final SmmuCaches caches, final String step)
    {
        int tlbCount = 0;
        for (final Tlb e : tlb)
        {
            if (e.smmu() == smmu)
            {
                tlbCount++;
                assertEquals(true, caches.tlb().contains(e.kind(), e.vmid(), e.asid(), e.address(), e.sizeLog2(), e.leaf()),
                    step + ": survivor " + e + " is still cached");
            }
        }
        int atcCount = 0;
        for (final Atc e : atc)
        {
            if (e.smmu() == smmu)
            {
                atcCount++;
                assertEquals(true, caches.atc().contains(e.sid(), e.ssid(), e.address(), e.sizeLog2()),
                    step + ": survivor " + e + " is still cached");
            }
        }
        int configCount = 0;
        for (final Config e : config)
        {
            if (e.smmu() == smmu)
            {
                configCount++;
                assertEquals(true, e.isSte() ? caches.config().containsSte(e.sid()) : caches.config().containsCd(e.sid(), e.ssid()),
                    step + ": survivor " + e + " is still cached");
            }
        }
        // The caches held only booked entries; equal counts mean every entry the book removed is gone.
        assertEquals(tlbCount, caches.tlb().size(), step + ": TLB entries on smmu " + smmu + " (the removed ones must be gone)");
        assertEquals(atcCount, caches.atc().size(), step + ": ATC entries on smmu " + smmu);
        assertEquals(configCount, caches.config().size(), step + ": config entries on smmu " + smmu);
    }

    static int noSsid()
    {
        return AtcCache.NO_SSID;
    }
}
