package dev.cmdq.vcmdq.hw.cache;

import dev.cmdq.queue.CommandError;
import dev.cmdq.smmu.AtcInvLayout;
import dev.cmdq.smmu.CommandLayout;
import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.smmu.codec.AtcInvDecoder;
import dev.cmdq.smmu.codec.CfgiDecoder;
import dev.cmdq.smmu.codec.TlbiDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The model of one physical SMMU's caches that command execution acts on: its TLB ({@link TlbCache}),
 * the ATCs of the devices behind it ({@link AtcCache}) and its configuration cache
 * ({@link ConfigCache}). {@link #execute} applies one command's invalidation exactly as SMMUv3 defines
 * it — no more (another VM's entries stay) and no less (no stale entry survives).
 *
 * <pre>
 *   execute(dword0, dword1)
 *     │ two putLongs into a 16-byte scratch slot, then the smmu-commands decoders read it in place
 *     ├─ TLBI_*        ─▶ TlbCache.invalidate(kinds, vmid|ANY, asid|ANY, range, leafOnly)
 *     ├─ ATC_INV       ─▶ AtcCache.invalidate(sid, ssv, ssid, span)
 *     ├─ CFGI_*        ─▶ ConfigCache.invalidateStreams / invalidateCd / invalidateCds
 *     ├─ no cache effect (PREFETCH_*, CMD_SYNC, PRI_RESP, RESUME, STALL_TERM, CFGI_VMS_PIDM)
 *     │                ─▶ NONE, nothing changes
 *     └─ not interpretable ─▶ ILL, nothing changes
 * </pre>
 *
 * <p>The per-opcode scope is the table in the package documentation. The command arrives validated and
 * with VMID and StreamID already substituted by the engine; the only commands refused here are those
 * whose fields have no meaning for a cache: an unknown opcode, the reserved range-TLBI encodings
 * ({@link TlbiRange}), an ATC_INV Size above 52, SSec = 1 (no Secure stream is modelled, and touching a
 * Non-secure stream of the same number would be wrong) and the EL3 TLBIs (Secure queue only).
 *
 * <p><b>Threads.</b> Single writer: {@link #execute} and {@link #clear} run on the owning SMMU's engine
 * thread (the scratch slot and decoders are its own); inserts run there or while the engine is stopped.
 * The caches' counts are readable from any thread (see each cache). {@link #execute} allocates nothing.
 */
public final class SmmuCaches
{
    /** Most entries one cache may hold: invalidation scans every entry, so the model stays small. */
    public static final int MAX_CAPACITY = 1 << 20;

    private final TlbCache tlb;
    private final AtcCache atc;
    private final ConfigCache config;
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[CommandWords.COMMAND_BYTES]);
    private final TlbiDecoder tlbi = new TlbiDecoder();
    private final AtcInvDecoder atcInv = new AtcInvDecoder();
    private final CfgiDecoder cfgi = new CfgiDecoder();

    /**
     * @param tlbCapacity    TLB entries held at once, 1..{@value #MAX_CAPACITY}.
     * @param atcCapacity    ATC entries held at once (all devices together), 1..{@value #MAX_CAPACITY}.
     * @param configCapacity STEs and CDs held at once, 1..{@value #MAX_CAPACITY}.
     * @throws IllegalArgumentException naming the capacity that is out of range.
     */
    public SmmuCaches(final int tlbCapacity, final int atcCapacity, final int configCapacity)
    {
        this.tlb = new TlbCache(tlbCapacity);
        this.atc = new AtcCache(atcCapacity);
        this.config = new ConfigCache(configCapacity);
    }

    /**
     * Applies the effect of one command (already validated; VMID/SID already substituted by the engine).
     * Commands with no cache effect return {@link CommandError#NONE} and change nothing. Allocates
     * nothing. Engine thread only.
     *
     * @param dword0 the command's dword 0.
     * @param dword1 the command's dword 1.
     * @return {@link CommandError#NONE}, or {@link CommandError#ILL} for a command whose fields the
     *         caches cannot interpret (class comment); an ILL command changes nothing.
     */
    public int execute(final long dword0, final long dword1)
    {
        final Opcode opcode = Opcode.of((int)(dword0 & CommandLayout.OPCODE_MASK));
        switch (opcode.family())
        {
            case TLBI:
                CommandWords.put(slot, 0, dword0, dword1);
                return executeTlbi(tlbi.wrap(slot, 0));
            case ATC_INV:
                CommandWords.put(slot, 0, dword0, dword1);
                return executeAtcInv(atcInv.wrap(slot, 0));
            case CFGI:
                CommandWords.put(slot, 0, dword0, dword1);
                return executeCfgi(cfgi.wrap(slot, 0));
            case NONE:
                return CommandError.ILL;
            default:
                return CommandError.NONE;
        }
    }

    /**
     * @return the TLB model.
     */
    public TlbCache tlb()
    {
        return tlb;
    }

    /**
     * @return the ATC model.
     */
    public AtcCache atc()
    {
        return atc;
    }

    /**
     * @return the configuration cache model.
     */
    public ConfigCache config()
    {
        return config;
    }

    /**
     * @return entries in all three caches; any thread (several acquire loads, so it may straddle a
     *         command).
     */
    public int size()
    {
        return tlb.size() + atc.size() + config.size();
    }

    /**
     * Empties all three caches (a reset, not an invalidation: removal counters are unchanged). Engine
     * thread or stopped engine only.
     */
    public void clear()
    {
        tlb.clear();
        atc.clear();
        config.clear();
    }

    private int executeTlbi(final TlbiDecoder d)
    {
        final Opcode opcode = d.opcode();
        switch (opcode)
        {
            case TLBI_NH_ALL:
                tlb.invalidate(TlbEntryKind.NH, d.vmid(), TlbCache.ANY, 0, AddressSpan.TOP, false);
                return CommandError.NONE;
            case TLBI_NH_ASID:
                // Global entries are not tagged by ASID, so an ASID invalidation leaves them.
                tlb.invalidate(TlbEntryKind.STAGE1, d.vmid(), d.asid(), 0, AddressSpan.TOP, false);
                return CommandError.NONE;
            case TLBI_NH_VA:
                // Global entries match every ASID of a by-VA invalidation.
                return ranged(d, TlbEntryKind.NH, d.vmid(), d.asid());
            case TLBI_NH_VAA:
                return ranged(d, TlbEntryKind.NH, d.vmid(), TlbCache.ANY);
            case TLBI_EL2_ALL:
                tlb.invalidate(TlbEntryKind.HYP, TlbCache.ANY, TlbCache.ANY, 0, AddressSpan.TOP, false);
                return CommandError.NONE;
            case TLBI_EL2_ASID:
                tlb.invalidate(TlbEntryKind.EL2, TlbCache.ANY, d.asid(), 0, AddressSpan.TOP, false);
                return CommandError.NONE;
            case TLBI_EL2_VA:
                return ranged(d, TlbEntryKind.HYP, TlbCache.ANY, d.asid());
            case TLBI_EL2_VAA:
                return ranged(d, TlbEntryKind.HYP, TlbCache.ANY, TlbCache.ANY);
            case TLBI_S12_VMALL:
                tlb.invalidate(TlbEntryKind.NSNH, d.vmid(), TlbCache.ANY, 0, AddressSpan.TOP, false);
                return CommandError.NONE;
            case TLBI_S2_IPA:
                // The decoder reads the IPA form of the address (bits 51:12).
                return ranged(d, TlbEntryKind.STAGE2, d.vmid(), TlbCache.ANY);
            case TLBI_NSNH_ALL:
                tlb.invalidate(TlbEntryKind.NSNH, TlbCache.ANY, TlbCache.ANY, 0, AddressSpan.TOP, false);
                return CommandError.NONE;
            default:
                // TLBI_EL3_ALL / TLBI_EL3_VA are valid only on a Secure Command queue; this is the model
                // of a Non-secure SMMU interface, where they raise CERROR_ILL (IHI0070 §4.4.2.5-6).
                return CommandError.ILL;
        }
    }

    private int ranged(final TlbiDecoder d, final int kinds, final int vmid, final int asid)
    {
        if (isReservedRange(d))
        {
            return CommandError.ILL;
        }
        final long first = d.addr();
        final long last = TlbiRange.last(first, d.tg(), d.num(), d.scale());
        // TG and TTL only narrow what the SMMU is required to remove (entries of that granule, leaves of
        // that level); removing every entry in the range is the permitted over-invalidation, and it
        // stays inside the command's own VMID/ASID/range.
        tlb.invalidate(kinds, vmid, asid, first, last, d.leaf());
        return CommandError.NONE;
    }

    private static boolean isReservedRange(final TlbiDecoder d)
    {
        return TlbiRange.isReserved(d.tg(), d.num(), d.scale(), d.ttl());
    }

    private int executeAtcInv(final AtcInvDecoder d)
    {
        final int size = d.size();
        if (size > AtcInvLayout.SIZE_ALL)
        {
            return CommandError.ILL;
        }
        final long first;
        final long last;
        if (size == AtcInvLayout.SIZE_ALL)
        {
            first = 0;
            last = AddressSpan.TOP;
        }
        else
        {
            // Span of 2^size 4 KiB pages; address bits inside the span are ignored (aligned down).
            final int spanLog2 = size + AddressSpan.MIN_SIZE_LOG2;
            first = d.addr() & -(1L << spanLog2);
            last = AddressSpan.last(first, spanLog2);
        }
        // Global has nothing to act on: no ATC entry is global (AtcCache).
        atc.invalidate(d.sid(), d.ssv(), d.ssid(), first, last);
        return CommandError.NONE;
    }

    private int executeCfgi(final CfgiDecoder d)
    {
        if (d.ssec())
        {
            return CommandError.ILL;
        }
        switch (d.opcode())
        {
            case CFGI_STE:
                config.invalidateStreams(d.sid(), d.sid());
                return CommandError.NONE;
            case CFGI_STE_RANGE:
            {
                // 2^(Range+1) StreamIDs from SID aligned down; Range 31 is the whole 32-bit space.
                final long count = 1L << (d.range() + 1);
                final long firstSid = d.sid() & -count;
                config.invalidateStreams(firstSid, firstSid + count - 1);
                return CommandError.NONE;
            }
            case CFGI_CD:
                config.invalidateCd(d.sid(), d.ssid());
                return CommandError.NONE;
            case CFGI_CD_ALL:
                config.invalidateCds(d.sid());
                return CommandError.NONE;
            default:
                // CFGI_VMS_PIDM: no VMS or PARTID map is modelled.
                return CommandError.NONE;
        }
    }
}
