package dev.cmdq.vcmdq.hw.cache;

/**
 * What a TLB entry translates, as int constants so the hot path never touches an object. Each kind is
 * one bit, so an invalidation names the kinds it may remove as a mask.
 *
 * <pre>
 *   kind            tagged by           removed by (besides NSNH_ALL / S12_VMALL where stated)
 *   STAGE1          VMID, ASID, VA      NH_ALL, NH_ASID, NH_VA, NH_VAA, S12_VMALL, NSNH_ALL
 *   STAGE1_GLOBAL   VMID, VA (nG=0)     NH_ALL, NH_VA (any ASID), NH_VAA, S12_VMALL, NSNH_ALL
 *   STAGE2          VMID, IPA           S2_IPA, S12_VMALL, NSNH_ALL
 *   EL2             ASID, VA            EL2_ALL, EL2_ASID, EL2_VA, EL2_VAA
 *   EL2_GLOBAL      VA (nG=0)           EL2_ALL, EL2_VA (any ASID), EL2_VAA
 * </pre>
 *
 * A STAGE1 entry stands for a stage-1-only entry as well as a combined (nested) stage 1 + stage 2 entry:
 * both are tagged by VMID, ASID and VA, and neither is required to go on TLBI_S2_IPA (IHI0070: software
 * follows a stage-2 change with a stage-1 invalidation, as Linux does with TLBI_NH_ALL for a nesting
 * parent). EL2 entries belong to the hypervisor's own translation regime and carry no VMID.
 */
public final class TlbEntryKind
{
    /** A non-global stage-1 (or combined stage 1+2) entry of one VMID and ASID. */
    public static final int STAGE1 = 1;
    /** A global (nG=0) stage-1 entry of one VMID: valid for every ASID. */
    public static final int STAGE1_GLOBAL = 1 << 1;
    /** A stage-2 entry of one VMID, addressed by IPA. */
    public static final int STAGE2 = 1 << 2;
    /** A non-global EL2 (hypervisor regime) entry of one ASID. */
    public static final int EL2 = 1 << 3;
    /** A global EL2 entry: valid for every ASID. */
    public static final int EL2_GLOBAL = 1 << 4;

    /** Every kind that belongs to a VM (non-secure, non-hypervisor): the scope of TLBI_NSNH_ALL. */
    public static final int NSNH = STAGE1 | STAGE1_GLOBAL | STAGE2;
    /** Both stage-1 kinds: the scope of the TLBI_NH_* commands. */
    public static final int NH = STAGE1 | STAGE1_GLOBAL;
    /** Both EL2 kinds: the scope of the TLBI_EL2_* commands. */
    public static final int HYP = EL2 | EL2_GLOBAL;
    /** Every kind. */
    public static final int ALL = NSNH | HYP;

    private TlbEntryKind()
    {
    }

    /**
     * @param kind a candidate value.
     * @return true when it is exactly one of the five kinds.
     */
    public static boolean isKind(final int kind)
    {
        return (kind & ALL) == kind && Integer.bitCount(kind) == 1;
    }

    /**
     * @param kind one kind.
     * @return true for the kinds tagged by a VMID (STAGE1, STAGE1_GLOBAL, STAGE2).
     */
    public static boolean hasVmid(final int kind)
    {
        return (kind & NSNH) != 0;
    }

    /**
     * @param kind one kind.
     * @return true for the kinds tagged by an ASID (STAGE1, EL2).
     */
    public static boolean hasAsid(final int kind)
    {
        return kind == STAGE1 || kind == EL2;
    }

    /**
     * @param kind one kind, or any value (for messages).
     * @return its constant's name, or {@code KIND_<n>}.
     */
    public static String name(final int kind)
    {
        switch (kind)
        {
            case STAGE1: return "STAGE1";
            case STAGE1_GLOBAL: return "STAGE1_GLOBAL";
            case STAGE2: return "STAGE2";
            case EL2: return "EL2";
            case EL2_GLOBAL: return "EL2_GLOBAL";
            default: return "KIND_" + kind;
        }
    }
}
