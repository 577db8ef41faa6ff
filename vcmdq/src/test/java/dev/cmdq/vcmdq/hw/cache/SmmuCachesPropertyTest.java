package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import dev.cmdq.queue.CommandError;
import org.junit.jupiter.api.Test;

/**
 * Random entries and random commands against a deliberately simple reference model written separately
 * here: entries are kept in lists, spans and ranges are exact {@link BigInteger} intervals (no unsigned
 * tricks, no clamping shortcuts), and the per-opcode scope is written out as plain conditions. After
 * every step the model's caches must hold exactly the reference's entries, return the reference's
 * CERROR code and count the reference's removals. Inserts into a full cache must fail and change
 * nothing. Seed and size are system properties ({@code cmdq.cache.seed}, {@code cmdq.cache.rounds}).
 */
class SmmuCachesPropertyTest
{
    private static final long SEED = Long.getLong("cmdq.cache.seed", 0x5EED_CAC4EL);
    private static final int ROUNDS = Integer.getInteger("cmdq.cache.rounds", 1_000);
    private static final int STEPS = 60;
    private static final int TLB_CAPACITY = 24;
    private static final int ATC_CAPACITY = 12;
    private static final int CONFIG_CAPACITY = 10;

    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TOP = TWO64.subtract(BigInteger.ONE);
    /** Address neighbourhoods where entries and commands meet often: low, 1 GiB, 2^47, near the top. */
    private static final long[] BASES = {0L, 0x4000_0000L, 0x8000_0000_0000L, 0xFFFF_FFFF_FFE0_0000L};
    private static final int[] SIZES = {12, 12, 12, 14, 16, 21, 21, 25, 29, 30, 39};

    private static final int[] TLBI_OPS = {0x10, 0x11, 0x12, 0x13, 0x18, 0x1A, 0x20, 0x21, 0x22, 0x23, 0x28, 0x2A, 0x30};
    private static final int[] OTHER_OPS = {0x01, 0x02, 0x07, 0x41, 0x44, 0x45, 0x46};

    private record Tlb(int kind, int vmid, int asid, long va, int sizeLog2, boolean leaf)
    {
    }

    private record Atc(long sid, int ssid, long address, int sizeLog2)
    {
    }

    private record Cfg(long sid, int ssid) // ssid -1 = STE
    {
    }

    private final List<Tlb> tlb = new ArrayList<>();
    private final List<Atc> atc = new ArrayList<>();
    private final List<Cfg> cfg = new ArrayList<>();
    private long tlbRemoved;
    private final long[] tlbRemovedByKind = new long[5];
    private long atcRemoved;
    private long steRemoved;
    private long cdRemoved;

    @Test
    void randomCommandsRemoveExactlyWhatTheReferenceRemoves()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        int hits = 0;
        int fulls = 0;
        int ills = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            tlb.clear();
            atc.clear();
            cfg.clear();
            tlbRemoved = atcRemoved = steRemoved = cdRemoved = 0;
            Arrays.fill(tlbRemovedByKind, 0);
            final SmmuCaches caches = new SmmuCaches(TLB_CAPACITY, ATC_CAPACITY, CONFIG_CAPACITY);
            for (int step = 0; step < STEPS; step++)
            {
                final int inserts = random.nextInt(4);
                for (int i = 0; i < inserts; i++)
                {
                    fulls += insertRandom(random, caches) ? 0 : 1;
                }
                final int before = caches.size();
                final long[] command = randomCommand(random);
                final int expected = reference(command[0], command[1]);
                final String text = "seed=" + SEED + " round=" + round + " step=" + step + " command=0x" +
                    Long.toHexString(command[0]) + ":0x" + Long.toHexString(command[1]);
                assertEquals(expected, caches.execute(command[0], command[1]), () -> text);
                ills += expected == CommandError.ILL ? 1 : 0;
                hits += before - caches.size();
                assertSame(caches, text);
            }
        }
        // The generator must really exercise removals, refusals and full caches, or the test proves little.
        assertTrue(hits > ROUNDS * 10, "removals seen: " + hits);
        assertTrue(fulls > 0, "full-cache inserts seen: " + fulls);
        assertTrue(ills > 0, "refused commands seen: " + ills);
    }

    private void assertSame(final SmmuCaches caches, final String text)
    {
        assertEquals(tlb.size(), caches.tlb().size(), () -> "TLB size, " + text);
        for (final Tlb e : tlb)
        {
            assertTrue(caches.tlb().contains(e.kind, e.vmid, e.asid, e.va, e.sizeLog2, e.leaf), () -> e + " kept, " + text);
        }
        assertEquals(atc.size(), caches.atc().size(), () -> "ATC size, " + text);
        for (final Atc e : atc)
        {
            assertTrue(caches.atc().contains(e.sid, e.ssid, e.address, e.sizeLog2), () -> e + " kept, " + text);
        }
        assertEquals(cfg.size(), caches.config().size(), () -> "config size, " + text);
        for (final Cfg e : cfg)
        {
            assertTrue(e.ssid < 0 ? caches.config().containsSte(e.sid) : caches.config().containsCd(e.sid, e.ssid),
                () -> e + " kept, " + text);
        }
        assertEquals(tlbRemoved, caches.tlb().removed(), () -> "TLB removals, " + text);
        for (int bit = 0; bit < 5; bit++)
        {
            final int kind = 1 << bit;
            assertEquals(tlbRemovedByKind[bit], caches.tlb().removed(kind), () -> "TLB removals of kind " + kind + ", " + text);
        }
        assertEquals(atcRemoved, caches.atc().removed(), () -> "ATC removals, " + text);
        assertEquals(steRemoved, caches.config().removedStes(), () -> "STE removals, " + text);
        assertEquals(cdRemoved, caches.config().removedCds(), () -> "CD removals, " + text);
    }

    // ------------------------------------------------------------------ inserts

    /** @return false when the insert met a full cache (and was checked to fail). */
    private boolean insertRandom(final SplittableRandom random, final SmmuCaches caches)
    {
        switch (random.nextInt(3))
        {
            case 0:
            {
                final int kind = 1 << random.nextInt(5);
                final boolean vm = kind == TlbEntryKind.STAGE1 || kind == TlbEntryKind.STAGE1_GLOBAL ||
                    kind == TlbEntryKind.STAGE2;
                final boolean asidTagged = kind == TlbEntryKind.STAGE1 || kind == TlbEntryKind.EL2;
                final int sizeLog2 = SIZES[random.nextInt(SIZES.length)];
                long va = alignedNear(random, sizeLog2);
                if (kind == TlbEntryKind.STAGE2)
                {
                    va &= 0x000F_FFFF_FFFF_FFFFL & -(1L << sizeLog2);
                }
                final Tlb e = new Tlb(kind, vm ? random.nextInt(3) : 0, asidTagged ? random.nextInt(3) : 0, va,
                    sizeLog2, random.nextInt(3) != 0);
                if (tlb.contains(e))
                {
                    assertEquals(false, caches.tlb().insert(e.kind, e.vmid, e.asid, e.va, e.sizeLog2, e.leaf));
                    return true;
                }
                if (tlb.size() == TLB_CAPACITY)
                {
                    assertThrows(CacheFullException.class,
                        () -> caches.tlb().insert(e.kind, e.vmid, e.asid, e.va, e.sizeLog2, e.leaf));
                    return false;
                }
                assertTrue(caches.tlb().insert(e.kind, e.vmid, e.asid, e.va, e.sizeLog2, e.leaf));
                tlb.add(e);
                return true;
            }
            case 1:
            {
                final int ssid = random.nextInt(4) - 1;
                final int sizeLog2 = random.nextInt(8) == 0 ? 63 : SIZES[random.nextInt(SIZES.length)];
                final Atc e = new Atc(1 + random.nextInt(2), ssid, alignedNear(random, sizeLog2), sizeLog2);
                if (atc.contains(e))
                {
                    assertEquals(false, caches.atc().insert(e.sid, e.ssid, e.address, e.sizeLog2));
                    return true;
                }
                if (atc.size() == ATC_CAPACITY)
                {
                    assertThrows(CacheFullException.class,
                        () -> caches.atc().insert(e.sid, e.ssid, e.address, e.sizeLog2));
                    return false;
                }
                assertTrue(caches.atc().insert(e.sid, e.ssid, e.address, e.sizeLog2));
                atc.add(e);
                return true;
            }
            default:
            {
                final long sid = randomSid(random);
                final Cfg e = new Cfg(sid, random.nextBoolean() ? -1 : random.nextInt(3));
                if (cfg.contains(e))
                {
                    assertEquals(false, insertConfig(caches, e));
                    return true;
                }
                if (cfg.size() == CONFIG_CAPACITY)
                {
                    assertThrows(CacheFullException.class, () -> insertConfig(caches, e));
                    return false;
                }
                assertTrue(insertConfig(caches, e));
                cfg.add(e);
                return true;
            }
        }
    }

    private static boolean insertConfig(final SmmuCaches caches, final Cfg e)
    {
        return e.ssid < 0 ? caches.config().insertSte(e.sid) : caches.config().insertCd(e.sid, e.ssid);
    }

    private static long alignedNear(final SplittableRandom random, final int sizeLog2)
    {
        final long base = BASES[random.nextInt(BASES.length)];
        final long offset = (long)random.nextInt(64) << 12;
        return (base + offset) & -(1L << sizeLog2);
    }

    private static long randomSid(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0: return 0xFFFF_FFFFL - random.nextInt(4);
            case 1: return 0x8000_0000L + random.nextInt(4);
            default: return random.nextInt(40);
        }
    }

    // ------------------------------------------------------------------ commands (raw bits, §2.2)

    private static long[] randomCommand(final SplittableRandom random)
    {
        final int family = random.nextInt(10);
        if (family < 5)
        {
            final int op = TLBI_OPS[random.nextInt(TLBI_OPS.length)];
            final long vmid = random.nextInt(4);
            final long asid = random.nextInt(4);
            final long num = random.nextInt(4) == 0 ? 31 : random.nextInt(4);
            final long scale = random.nextInt(5) == 0 ? random.nextInt(32) : random.nextInt(10);
            final long tg = random.nextInt(4);
            final long ttl = random.nextInt(4) == 0 ? 0 : random.nextInt(4);
            final long leaf = random.nextInt(2);
            long addr = BASES[random.nextInt(BASES.length)] + ((long)random.nextInt(64) << 12);
            if (random.nextInt(6) == 0)
            {
                addr |= 0xFFF0_0000_0000_0000L; // upper bits: dropped by S2_IPA only
            }
            final long d0 = op | num << 12 | scale << 20 | vmid << 32 | asid << 48;
            final long d1 = (addr & 0xFFFF_FFFF_FFFF_F000L) | tg << 10 | ttl << 8 | leaf;
            return new long[] {d0, d1};
        }
        if (family < 7)
        {
            final long sid = 1 + random.nextInt(3);
            final long ssid = random.nextInt(4);
            final long ssv = random.nextInt(2);
            final long global = random.nextInt(2);
            final long size = random.nextInt(8) == 0 ? 50 + random.nextInt(14) : random.nextInt(12);
            final long addr = BASES[random.nextInt(BASES.length)] + ((long)random.nextInt(64) << 12);
            final long d0 = 0x40 | global << 9 | ssv << 11 | ssid << 12 | sid << 32;
            return new long[] {d0, (addr & 0xFFFF_FFFF_FFFF_F000L) | size};
        }
        if (family < 9)
        {
            final int op = 3 + random.nextInt(4);
            final long sid = randomSid(random);
            final long ssid = random.nextInt(3);
            final long ssec = random.nextInt(12) == 0 ? 1 : 0;
            final long d1 = op == 4 ? (random.nextInt(3) == 0 ? 31 - random.nextInt(2) : random.nextInt(6)) : random.nextInt(2);
            return new long[] {op | ssec << 10 | (op == 5 ? ssid << 12 : 0) | sid << 32, d1};
        }
        final int op = random.nextInt(6) == 0 ? 0x50 + random.nextInt(16) : OTHER_OPS[random.nextInt(OTHER_OPS.length)];
        return new long[] {op | (long)random.nextInt(1 << 20) << 32, random.nextLong()};
    }

    // ------------------------------------------------------------------ the reference

    /** Applies the command to the reference lists; returns the expected CERROR code. */
    private int reference(final long d0, final long d1)
    {
        final int op = (int)(d0 & 0xFF);
        final int num = (int)(d0 >>> 12 & 31);
        final int scale = (int)(d0 >>> 20 & 31);
        final int vmid = (int)(d0 >>> 32 & 0xFFFF);
        final int asid = (int)(d0 >>> 48 & 0xFFFF);
        final boolean leaf = (d1 & 1) != 0;
        final int ttl = (int)(d1 >>> 8 & 3);
        final int tg = (int)(d1 >>> 10 & 3);
        final boolean ranged = op == 0x12 || op == 0x13 || op == 0x1A || op == 0x22 || op == 0x23 || op == 0x2A;
        // IHI0070 §4.4.1.1: NUM = SCALE = 0 with TTL = 0 is reserved; 16K with TTL = 1 counts as TTL = 0.
        final boolean ttlZero = ttl == 0 || (tg == 2 && ttl == 1);
        if (ranged && tg != 0 && num == 0 && scale == 0 && ttlZero)
        {
            return CommandError.ILL;
        }
        long addr = d1 & 0xFFFF_FFFF_FFFF_F000L;
        if (op == 0x2A)
        {
            addr &= 0x000F_FFFF_FFFF_F000L;
        }
        final BigInteger[] range = ranged ? tlbiRange(addr, tg, num, scale) : new BigInteger[] {BigInteger.ZERO, TOP};
        switch (op)
        {
            case 0x10: removeTlb(e -> isStage1(e) && e.vmid == vmid, range, false); break;
            case 0x11: removeTlb(e -> e.kind == TlbEntryKind.STAGE1 && e.vmid == vmid && e.asid == asid, range, false); break;
            case 0x12: removeTlb(e -> isStage1(e) && e.vmid == vmid &&
                (e.kind == TlbEntryKind.STAGE1_GLOBAL || e.asid == asid), range, leaf); break;
            case 0x13: removeTlb(e -> isStage1(e) && e.vmid == vmid, range, leaf); break;
            case 0x20: removeTlb(SmmuCachesPropertyTest::isEl2, range, false); break;
            case 0x21: removeTlb(e -> e.kind == TlbEntryKind.EL2 && e.asid == asid, range, false); break;
            case 0x22: removeTlb(e -> isEl2(e) && (e.kind == TlbEntryKind.EL2_GLOBAL || e.asid == asid), range, leaf); break;
            case 0x23: removeTlb(SmmuCachesPropertyTest::isEl2, range, leaf); break;
            case 0x28: removeTlb(e -> !isEl2(e) && e.vmid == vmid, range, false); break;
            case 0x2A: removeTlb(e -> e.kind == TlbEntryKind.STAGE2 && e.vmid == vmid, range, leaf); break;
            case 0x30: removeTlb(e -> !isEl2(e), range, false); break;
            case 0x18: case 0x1A: return CommandError.ILL; // EL3: Secure queue only
            case 0x40: return referenceAtc(d0, d1);
            case 0x03: case 0x04: case 0x05: case 0x06: case 0x07: return referenceCfgi(op, d0, d1);
            case 0x01: case 0x02: case 0x41: case 0x44: case 0x45: case 0x46: break;
            default: return CommandError.ILL;
        }
        return CommandError.NONE;
    }

    private static boolean isStage1(final Tlb e)
    {
        return e.kind == TlbEntryKind.STAGE1 || e.kind == TlbEntryKind.STAGE1_GLOBAL;
    }

    private static boolean isEl2(final Tlb e)
    {
        return e.kind == TlbEntryKind.EL2 || e.kind == TlbEntryKind.EL2_GLOBAL;
    }

    private static BigInteger[] tlbiRange(final long addr, final int tg, final int num, final int scale)
    {
        final BigInteger a = unsigned(addr);
        if (tg == 0)
        {
            return new BigInteger[] {a, a.add(BigInteger.valueOf(4095))};
        }
        // Address <= A < Address + (NUM+1) * 2^SCALE * granule, without wrapping past the top.
        final BigInteger granule = BigInteger.ONE.shiftLeft(2 * tg + 10);
        final BigInteger length = granule.multiply(BigInteger.valueOf(num + 1)).shiftLeft(scale);
        return new BigInteger[] {a, a.add(length).subtract(BigInteger.ONE).min(TOP)};
    }

    private static boolean meets(final long first, final int sizeLog2, final BigInteger[] range)
    {
        final BigInteger f = unsigned(first);
        final BigInteger l = f.add(BigInteger.ONE.shiftLeft(sizeLog2)).subtract(BigInteger.ONE);
        return f.compareTo(range[1]) <= 0 && l.compareTo(range[0]) >= 0;
    }

    private void removeTlb(final Predicate<Tlb> scope, final BigInteger[] range, final boolean leafOnly)
    {
        for (final Tlb e : List.copyOf(tlb))
        {
            if (scope.test(e) && (!leafOnly || e.leaf) && meets(e.va, e.sizeLog2, range))
            {
                tlb.remove(e);
                tlbRemoved++;
                tlbRemovedByKind[Integer.numberOfTrailingZeros(e.kind)]++;
            }
        }
    }

    private int referenceAtc(final long d0, final long d1)
    {
        final boolean ssv = (d0 >>> 11 & 1) != 0;
        final int ssid = (int)(d0 >>> 12 & 0xFFFFF);
        final long sid = d0 >>> 32;
        final int size = (int)(d1 & 63);
        if (size > 52)
        {
            return CommandError.ILL;
        }
        final BigInteger[] range;
        if (size == 52)
        {
            range = new BigInteger[] {BigInteger.ZERO, TOP};
        }
        else
        {
            final BigInteger span = BigInteger.ONE.shiftLeft(size + 12);
            final BigInteger a = unsigned(d1 & 0xFFFF_FFFF_FFFF_F000L);
            final BigInteger first = a.subtract(a.mod(span));
            range = new BigInteger[] {first, first.add(span).subtract(BigInteger.ONE)};
        }
        final int before = atc.size();
        // Global (dw0 bit 9) has nothing to act on: the SMMU never grants global ATC translations.
        atc.removeIf(e -> e.sid == sid && (!ssv || e.ssid == ssid) &&
            meets(e.address, e.sizeLog2, range));
        atcRemoved += before - atc.size();
        return CommandError.NONE;
    }

    private int referenceCfgi(final int op, final long d0, final long d1)
    {
        if ((d0 >>> 10 & 1) != 0)
        {
            return CommandError.ILL;
        }
        final long sid = d0 >>> 32;
        final int ssid = (int)(d0 >>> 12 & 0xFFFFF);
        switch (op)
        {
            case 0x03: removeCfg(e -> e.sid == sid); break;
            case 0x04:
            {
                final long count = 1L << ((d1 & 31) + 1);
                final long first = sid / count * count;
                removeCfg(e -> e.sid >= first && e.sid < first + count);
                break;
            }
            case 0x05: removeCfg(e -> e.sid == sid && e.ssid == ssid); break;
            case 0x06: removeCfg(e -> e.sid == sid && e.ssid >= 0); break;
            default: break;
        }
        return CommandError.NONE;
    }

    private void removeCfg(final Predicate<Cfg> scope)
    {
        for (final Cfg e : List.copyOf(cfg))
        {
            if (scope.test(e))
            {
                cfg.remove(e);
                if (e.ssid < 0)
                {
                    steRemoved++;
                }
                else
                {
                    cdRemoved++;
                }
            }
        }
    }

    private static BigInteger unsigned(final long value)
    {
        return BigInteger.valueOf(value).and(TOP);
    }
}
