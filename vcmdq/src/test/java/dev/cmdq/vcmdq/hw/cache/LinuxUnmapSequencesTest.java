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
import java.util.stream.Stream;

import dev.cmdq.queue.CommandError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command sequences Linux really emits for an unmap ({@code shared/vectors/linux-unmap-sequences.csv},
 * produced by a harness around the kernel's own functions), executed on the cache model: the entries of
 * the unmapped range must be gone afterwards, and the neighbours, the other ASID, the other VMID and the
 * other device must stay. The expectation comes from each row's inputs (iova, size, granule, leaf) and
 * linux-unmap-sequences.md, not from the commands, so this checks the kernel's encoding and the model's
 * decoding against each other. The one documented over-invalidation is expected: on the range path a
 * non-leaf request of {@code pages mod 32 == 1} pages is widened by one page (§3.2 step 3).
 */
class LinuxUnmapSequencesTest
{
    private static final long PAGE = 0x1000L;

    static Stream<Arguments> rows() throws IOException
    {
        final List<String> lines = Files.readAllLines(vectors());
        final List<Arguments> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            final String[] columns = lines.get(i).split(",");
            rows.add(Arguments.of(i + 1, columns[0], inputs(columns[1]), columns[2]));
        }
        assertTrue(rows.size() >= 150, "rows read: " + rows.size());
        return rows.stream();
    }

    @ParameterizedTest(name = "line {0}: {1}")
    @MethodSource("rows")
    void unmapRemovesTheRangeAndNothingElse(
        final int line, final String op, final Map<String, Long> in, final String commands)
    {
        final SmmuCaches caches = new SmmuCaches(64, 64, 16);
        final Map<String, Boolean> expectGone = new HashMap<>();
        final List<Runnable> checks = new ArrayList<>();
        switch (op)
        {
            case "tlb_inv_range_asid":
            case "tlb_inv_range_domain":
                rangeEntries(caches, in, expectGone, checks);
                if (in.getOrDefault("ats", 0L) == 1)
                {
                    atcEntries(caches, in.get("sid"), in.get("ssid"), in.get("iova"), in.get("size"), expectGone, checks);
                }
                break;
            case "atc_inv":
                atcEntries(caches, in.get("sid"), in.get("ssid"), in.get("iova"), in.get("size"), expectGone, checks);
                break;
            case "tlb_inv_context":
                contextEntries(caches, in, expectGone, checks);
                if (in.getOrDefault("ats", 0L) == 1)
                {
                    atcEntries(caches, in.get("sid"), in.get("ssid"), 0L, 0L, expectGone, checks);
                }
                break;
            default:
                throw new AssertionError("line " + line + ": unknown op " + op);
        }
        for (final String command : commands.split("\\|"))
        {
            final String[] words = command.split(":");
            final long d0 = Long.parseUnsignedLong(words[0], 16);
            final long d1 = Long.parseUnsignedLong(words[1], 16);
            assertEquals(CommandError.NONE, caches.execute(d0, d1), "line " + line + " command " + command);
        }
        for (final Runnable check : checks)
        {
            check.run();
        }
        assertTrue(expectGone.containsValue(true) && expectGone.containsValue(false),
            "line " + line + " checks both removal and survival");
    }

    private static void rangeEntries(
        final SmmuCaches caches, final Map<String, Long> in, final Map<String, Boolean> gone, final List<Runnable> checks)
    {
        final int vmid = (int)(long)in.get("vmid");
        final int asid = (int)(long)in.get("asid");
        final long iova = in.get("iova");
        final long size = in.get("size");
        final long granule = in.get("granule");
        final long pgsize = in.get("pgsize");
        final boolean leaf = in.get("leaf") == 1;
        final int log2 = Long.numberOfTrailingZeros(granule);
        final long end = iova + size;
        // linux-unmap-sequences.md §3.2 step 3: range path, not leaf, pages mod 32 == 1 -> one more page.
        final boolean widened = in.get("range_inv") == 1 && !leaf && (size / pgsize) % 32 == 1;
        final TlbCache tlb = caches.tlb();
        tlbEntry(tlb, gone, checks, "first", TlbEntryKind.STAGE1, vmid, asid, iova, log2, true, true);
        tlbEntry(tlb, gone, checks, "last", TlbEntryKind.STAGE1, vmid, asid, end - granule, log2, true, true);
        tlbEntry(tlb, gone, checks, "walk", TlbEntryKind.STAGE1, vmid, asid, iova, log2, false, !leaf);
        tlbEntry(tlb, gone, checks, "global", TlbEntryKind.STAGE1_GLOBAL, vmid, 0, iova, log2, true, true);
        tlbEntry(tlb, gone, checks, "after", TlbEntryKind.STAGE1, vmid, asid, end, log2, true, widened);
        if (iova >= granule)
        {
            tlbEntry(tlb, gone, checks, "before", TlbEntryKind.STAGE1, vmid, asid, iova - granule, log2, true, false);
        }
        tlbEntry(tlb, gone, checks, "otherAsid", TlbEntryKind.STAGE1, vmid, (asid + 1) & 0xFFFF, iova, log2, true, false);
        tlbEntry(tlb, gone, checks, "otherVmid", TlbEntryKind.STAGE1, (vmid + 1) & 0xFFFF, asid, iova, log2, true, false);
        tlbEntry(tlb, gone, checks, "stage2", TlbEntryKind.STAGE2, vmid, 0, iova & 0x000F_FFFF_FFFF_F000L, 12, true, false);
    }

    private static void contextEntries(
        final SmmuCaches caches, final Map<String, Long> in, final Map<String, Boolean> gone, final List<Runnable> checks)
    {
        final int vmid = (int)(long)in.get("vmid");
        final int asid = (int)(long)in.get("asid");
        final TlbCache tlb = caches.tlb();
        tlbEntry(tlb, gone, checks, "low", TlbEntryKind.STAGE1, vmid, asid, 0L, 12, true, true);
        tlbEntry(tlb, gone, checks, "highWalk", TlbEntryKind.STAGE1, vmid, asid, 0x7F80_0000_0000L, 39, false, true);
        tlbEntry(tlb, gone, checks, "global", TlbEntryKind.STAGE1_GLOBAL, vmid, 0, 0L, 12, true, false);
        tlbEntry(tlb, gone, checks, "otherAsid", TlbEntryKind.STAGE1, vmid, (asid + 1) & 0xFFFF, 0L, 12, true, false);
        tlbEntry(tlb, gone, checks, "otherVmid", TlbEntryKind.STAGE1, (vmid + 1) & 0xFFFF, asid, 0L, 12, true, false);
    }

    /** ATC entries for one device; size 0 means everything (§5). */
    private static void atcEntries(
        final SmmuCaches caches, final long sid, final long attachSsid, final long iova, final long size,
        final Map<String, Boolean> gone, final List<Runnable> checks)
    {
        final AtcCache atc = caches.atc();
        final int ssid = attachSsid == 0 ? AtcCache.NO_SSID : (int)attachSsid;
        final long first = size == 0 ? 0x7000_0000_0000L : iova & -PAGE;
        final long last = size == 0 ? 0 : (iova + size - 1) & -PAGE;
        atcEntry(atc, gone, checks, "atc.first", sid, ssid, first, true);
        atcEntry(atc, gone, checks, "atc.last", sid, ssid, last, true);
        atcEntry(atc, gone, checks, "atc.otherSid", sid ^ 1, ssid, first, false);
        if (ssid == AtcCache.NO_SSID)
        {
            // SSV = 0 reaches the PASID-tagged entries too.
            atcEntry(atc, gone, checks, "atc.pasid", sid, 5, first, true);
        }
        else
        {
            atcEntry(atc, gone, checks, "atc.otherPasid", sid, (ssid + 1) & AtcCache.MAX_SSID, first, false);
            atcEntry(atc, gone, checks, "atc.noPasid", sid, AtcCache.NO_SSID, first, false);
        }
    }

    private static void tlbEntry(
        final TlbCache tlb, final Map<String, Boolean> gone, final List<Runnable> checks, final String name,
        final int kind, final int vmid, final int asid, final long va, final int log2, final boolean leaf,
        final boolean expectGone)
    {
        if (tlb.insert(kind, vmid, asid, va, log2, leaf))
        {
            gone.put(name, expectGone);
            checks.add(() -> assertEquals(!expectGone, tlb.contains(kind, vmid, asid, va, log2, leaf),
                () -> name + " (" + TlbEntryKind.name(kind) + " va=0x" + Long.toHexString(va) + " 2^" + log2 +
                    " leaf=" + leaf + ") " + (expectGone ? "must be gone" : "must stay")));
        }
    }

    private static void atcEntry(
        final AtcCache atc, final Map<String, Boolean> gone, final List<Runnable> checks, final String name,
        final long sid, final int ssid, final long address, final boolean expectGone)
    {
        if (atc.insert(sid, ssid, address, 12))
        {
            gone.put(name, expectGone);
            checks.add(() -> assertEquals(!expectGone, atc.contains(sid, ssid, address, 12),
                () -> name + " (sid=0x" + Long.toHexString(sid) + " ssid=" + ssid + " address=0x" +
                    Long.toHexString(address) + ") " + (expectGone ? "must be gone" : "must stay")));
        }
    }

    private static Map<String, Long> inputs(final String text)
    {
        final Map<String, Long> map = new HashMap<>();
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
        return base.resolve("vectors").resolve("linux-unmap-sequences.csv");
    }
}
