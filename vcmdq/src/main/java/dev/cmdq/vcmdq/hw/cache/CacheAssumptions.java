package dev.cmdq.vcmdq.hw.cache;

import java.util.List;

/**
 * The named choices the cache model makes where the architecture leaves room (permitted
 * over-invalidation, CONSTRAINED UNPREDICTABLE or optional CERROR_ILL) or where the model leaves
 * something out, one line each, so a report can print exactly what its cache results assume. The
 * package documentation gives the reasons and sources.
 */
public final class CacheAssumptions
{
    private static final List<String> ALL = List.of(
        "tlb.granule-and-level-ignored: TG and TTL do not narrow a range TLBI (permitted over-invalidation " +
            "inside the command's VMID/ASID/range)",
        "tlb.range-starts-at-addr: a range TLBI covers ADDR <= A < ADDR + (NUM+1)*2^SCALE*granule, no wrap " +
            "past 2^64-1; ADDR bits below the granule are used as given (UNPREDICTABLE range otherwise)",
        "tlb.ds0: SMMU_IDR5.DS == 0 (5-bit SCALE; TG=16K with TTL=1 counts as TTL=0)",
        "tlb.stage2-implemented: NH commands always match VMID",
        "tlb.s2-ipa-not-combined: TLBI_S2_IPA leaves STAGE1 (stage-1 and combined) entries",
        "tlb.el2-e2h: EL2 entries model SMMU_CR2.E2H = 1 (ASID-tagged, plus global)",
        "tlb.el3-ill: TLBI_EL3_* raise CERROR_ILL (Non-secure command queue)",
        "atc.no-global-entries: the SMMU grants no global ATS translations, so ATC_INV Global acts on nothing",
        "atc.ssv0-all-pasids: ATC_INV with SSV=0 removes entries with and without PASID",
        "atc.size-over-52-ill: ATC_INV Size 53..63 raises CERROR_ILL (permitted)",
        "cfg.ste-drops-cds: STE invalidation removes the CDs cached through those StreamIDs",
        "cfg.no-l1-descriptors: L1ST/L1CD descriptors and VMS structures are not modelled (Leaf changes nothing)",
        "cfg.ssec-ill: CFGI with SSec=1 raises CERROR_ILL (no Secure stream is modelled)",
        "capacity.no-eviction: a full cache refuses inserts (CacheFullException) and never evicts");

    private CacheAssumptions()
    {
    }

    /**
     * @return every assumption as {@code name: description}, in a fixed order; immutable.
     */
    public static List<String> all()
    {
        return ALL;
    }
}
