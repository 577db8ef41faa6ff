package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.cmdq.queue.CommandError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden command of {@code shared/vectors/smmuv3-cmd-vectors.csv} (Linux's encoder, 300 rows across
 * the field ranges: SID 0xffffffff, VMID/ASID 0xffff, top addresses) executed on the cache model. The
 * expectation is built from the row's QEMU-decoded fields — an independent decoder — never from the
 * model: the entry the command names must go, the same entry under a neighbouring SID / VMID / ASID /
 * SSID must stay, and the documented refusals (reserved range encoding, ATC_INV Size above 52) must
 * return CERROR_ILL and change nothing.
 */
class CommandVectorsTest
{
    static Stream<Arguments> rows() throws IOException
    {
        final List<String> lines = Files.readAllLines(vectors());
        final List<Arguments> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            final String[] c = lines.get(i).split(",", -1);
            final Map<String, Long> decoded = fields(c[5]);
            decoded.putAll(fields(c[6]));
            rows.add(Arguments.of(i + 1, c[0], Long.parseUnsignedLong(c[3].substring(2), 16),
                Long.parseUnsignedLong(c[4].substring(2), 16), decoded));
        }
        assertTrue(rows.size() >= 300, "rows read: " + rows.size());
        return rows.stream();
    }

    @ParameterizedTest(name = "line {0}: {1}")
    @MethodSource("rows")
    void theNamedEntryGoesAndItsNeighboursStay(
        final int line, final String name, final long d0, final long d1, final Map<String, Long> f)
    {
        final SmmuCaches caches = new SmmuCaches(16, 16, 16);
        final TlbCache tlb = caches.tlb();
        final AtcCache atc = caches.atc();
        final ConfigCache cfg = caches.config();
        final List<String> names = new ArrayList<>();
        final List<BooleanSupplier> present = new ArrayList<>();
        final List<Boolean> goes = new ArrayList<>();
        final int vmid = (int)get(f, "vmid");
        final int asid = (int)get(f, "asid");
        final long sid = get(f, "sid");
        final int ssid = (int)get(f, "ssid");
        final long page = get(f, "addr") & -0x1000L;
        boolean refused = false;
        switch (name)
        {
            case "TLBI_NH_ALL":
            case "TLBI_S12_VMALL":
                add(names, present, goes, "s1", () -> tlb.insert(TlbEntryKind.STAGE1, vmid, 5, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, vmid, 5, 0, 12, true), true);
                add(names, present, goes, "s2", () -> tlb.insert(TlbEntryKind.STAGE2, vmid, 0, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE2, vmid, 0, 0, 12, true), name.equals("TLBI_S12_VMALL"));
                add(names, present, goes, "otherVmid", () -> tlb.insert(TlbEntryKind.STAGE1, vmid ^ 1, 5, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, vmid ^ 1, 5, 0, 12, true), false);
                break;
            case "TLBI_NH_ASID":
                add(names, present, goes, "s1", () -> tlb.insert(TlbEntryKind.STAGE1, vmid, asid, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, vmid, asid, 0, 12, true), true);
                add(names, present, goes, "otherAsid", () -> tlb.insert(TlbEntryKind.STAGE1, vmid, asid ^ 1, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, vmid, asid ^ 1, 0, 12, true), false);
                add(names, present, goes, "otherVmid", () -> tlb.insert(TlbEntryKind.STAGE1, vmid ^ 1, asid, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, vmid ^ 1, asid, 0, 12, true), false);
                break;
            case "TLBI_NSNH_ALL":
            case "TLBI_EL2_ALL":
                add(names, present, goes, "s1", () -> tlb.insert(TlbEntryKind.STAGE1, 3, 5, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, 3, 5, 0, 12, true), name.equals("TLBI_NSNH_ALL"));
                add(names, present, goes, "el2", () -> tlb.insert(TlbEntryKind.EL2, 0, 5, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.EL2, 0, 5, 0, 12, true), name.equals("TLBI_EL2_ALL"));
                break;
            case "TLBI_EL2_ASID":
                add(names, present, goes, "el2", () -> tlb.insert(TlbEntryKind.EL2, 0, asid, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.EL2, 0, asid, 0, 12, true), true);
                add(names, present, goes, "otherAsid", () -> tlb.insert(TlbEntryKind.EL2, 0, asid ^ 1, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.EL2, 0, asid ^ 1, 0, 12, true), false);
                break;
            case "TLBI_NH_VA":
            case "TLBI_EL2_VA":
            case "TLBI_S2_IPA":
            {
                final long tg = get(f, "tg");
                final long ttl = get(f, "ttl");
                // IHI0070 §4.4.1.1: TG != 0 with NUM = SCALE = 0 and (effective) TTL = 0 is reserved.
                refused = tg != 0 && get(f, "num") == 0 && get(f, "scale") == 0 && (ttl == 0 || (tg == 2 && ttl == 1));
                final int kind = name.equals("TLBI_NH_VA") ? TlbEntryKind.STAGE1 :
                    name.equals("TLBI_EL2_VA") ? TlbEntryKind.EL2 : TlbEntryKind.STAGE2;
                final int entryAsid = kind == TlbEntryKind.STAGE2 ? 0 : asid;
                final int entryVmid = kind == TlbEntryKind.EL2 ? 0 : vmid;
                add(names, present, goes, "page", () -> tlb.insert(kind, entryVmid, entryAsid, page, 12, true),
                    () -> tlb.contains(kind, entryVmid, entryAsid, page, 12, true), !refused);
                if (kind == TlbEntryKind.STAGE2)
                {
                    add(names, present, goes, "otherVmid", () -> tlb.insert(kind, vmid ^ 1, 0, page, 12, true),
                        () -> tlb.contains(kind, vmid ^ 1, 0, page, 12, true), false);
                }
                else
                {
                    add(names, present, goes, "otherAsid", () -> tlb.insert(kind, entryVmid, asid ^ 1, page, 12, true),
                        () -> tlb.contains(kind, entryVmid, asid ^ 1, page, 12, true), false);
                }
                break;
            }
            case "ATC_INV":
            {
                refused = get(f, "size") > 52;
                final int entrySsid = get(f, "ssv") == 1 ? ssid : AtcCache.NO_SSID;
                add(names, present, goes, "atc", () -> atc.insert(sid, entrySsid, page, 12),
                    () -> atc.contains(sid, entrySsid, page, 12), !refused);
                add(names, present, goes, "otherSid", () -> atc.insert(sid ^ 1, entrySsid, page, 12),
                    () -> atc.contains(sid ^ 1, entrySsid, page, 12), false);
                break;
            }
            case "CFGI_STE":
            case "CFGI_ALL":
                add(names, present, goes, "ste", () -> cfg.insertSte(sid), () -> cfg.containsSte(sid), true);
                add(names, present, goes, "otherSte", () -> cfg.insertSte(sid ^ 1), () -> cfg.containsSte(sid ^ 1),
                    name.equals("CFGI_ALL"));
                break;
            case "CFGI_CD":
                add(names, present, goes, "cd", () -> cfg.insertCd(sid, ssid), () -> cfg.containsCd(sid, ssid), true);
                add(names, present, goes, "otherCd", () -> cfg.insertCd(sid, ssid ^ 1),
                    () -> cfg.containsCd(sid, ssid ^ 1), false);
                add(names, present, goes, "ste", () -> cfg.insertSte(sid), () -> cfg.containsSte(sid), false);
                break;
            case "CFGI_CD_ALL":
                add(names, present, goes, "cd", () -> cfg.insertCd(sid, 7), () -> cfg.containsCd(sid, 7), true);
                add(names, present, goes, "ste", () -> cfg.insertSte(sid), () -> cfg.containsSte(sid), false);
                add(names, present, goes, "otherCd", () -> cfg.insertCd(sid ^ 1, 7), () -> cfg.containsCd(sid ^ 1, 7), false);
                break;
            default:
                // PREFETCH_CFG, PRI_RESP, RESUME, CMD_SYNC: no cache effect at all.
                add(names, present, goes, "tlb", () -> tlb.insert(TlbEntryKind.STAGE1, 1, 1, 0, 12, true),
                    () -> tlb.contains(TlbEntryKind.STAGE1, 1, 1, 0, 12, true), false);
                add(names, present, goes, "atc", () -> atc.insert(sid, AtcCache.NO_SSID, 0, 12),
                    () -> atc.contains(sid, AtcCache.NO_SSID, 0, 12), false);
                add(names, present, goes, "ste", () -> cfg.insertSte(sid), () -> cfg.containsSte(sid), false);
                break;
        }
        assertEquals(refused ? CommandError.ILL : CommandError.NONE, caches.execute(d0, d1), "line " + line);
        for (int i = 0; i < names.size(); i++)
        {
            assertEquals(!goes.get(i), present.get(i).getAsBoolean(),
                "line " + line + " " + name + ": " + names.get(i) + (goes.get(i) ? " must be gone" : " must stay"));
        }
    }

    private static void add(
        final List<String> names, final List<BooleanSupplier> present, final List<Boolean> goes, final String name,
        final BooleanSupplier insert, final BooleanSupplier isPresent, final boolean expectGone)
    {
        assertTrue(insert.getAsBoolean(), "entry " + name + " is new");
        names.add(name);
        present.add(isPresent);
        goes.add(expectGone);
    }

    private static long get(final Map<String, Long> fields, final String key)
    {
        return fields.getOrDefault(key, 0L);
    }

    private static Map<String, Long> fields(final String text)
    {
        final Map<String, Long> map = new HashMap<>();
        if (text.isEmpty())
        {
            return map;
        }
        for (final String pair : text.split(";"))
        {
            final String[] kv = pair.split("=");
            map.put(kv[0], kv[1].startsWith("0x") ? Long.parseUnsignedLong(kv[1].substring(2), 16) : Long.parseLong(kv[1]));
        }
        return map;
    }

    private static Path vectors()
    {
        final String dir = System.getProperty("cmdq.shared.dir");
        final Path base = dir != null ? Paths.get(dir) : Paths.get(System.getProperty("user.dir")).resolveSibling("shared");
        return base.resolve("vectors").resolve("smmuv3-cmd-vectors.csv");
    }
}
