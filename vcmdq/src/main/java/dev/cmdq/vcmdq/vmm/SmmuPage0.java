package dev.cmdq.vcmdq.vmm;

/**
 * Offsets and fields of the SMMUv3 registers a vSMMU emulates for its command queue
 * (smmuv3-cmdq.md §1.3). The SMMU region is two 64 KiB pages; as in QEMU (§5.1) page 1 aliases page 0,
 * so an offset is taken modulo {@link #PAGE_SIZE}.
 *
 * <pre>
 *   page 0 offset   register     width  fields used here
 *   0x000           IDR0         32     S1P 1, TTF 3:2, ATS 10, ASID16 12, MSI 13 (0: none), SEV 14 (0)
 *   0x004           IDR1         32     CMDQS 25:21, SIDSIZE 5:0
 *   0x00C           IDR3         32     RIL 10
 *   0x020           CR0          32     SMMUEN 0, PRIQEN 1, EVTQEN 2, CMDQEN 3, ATSCHK 4
 *   0x024           CR0ACK       32     mirrors CR0's defined bits
 *   0x060           GERROR       32     read-only to software (toggled by the SMMU)
 *   0x064           GERRORN      32     software acknowledge
 *   0x090           CMDQ_BASE    64     RA 62, ADDR 51:5, LOG2SIZE 4:0   (or two 32-bit halves)
 *   0x098           CMDQ_PROD    32     WR index + wrap in [L:0]
 *   0x09C           CMDQ_CONS    32     RD index + wrap in [L:0], ERR 30:24
 * </pre>
 */
public final class SmmuPage0
{
    /** Bytes of one SMMU register page. */
    public static final int PAGE_SIZE = 0x10000;
    /** Bytes of the SMMU region: page 0 and its alias, page 1. */
    public static final int REGION_SIZE = 2 * PAGE_SIZE;

    /** IDR0. */
    public static final int IDR0 = 0x0;
    /** IDR1. */
    public static final int IDR1 = 0x4;
    /** IDR3. */
    public static final int IDR3 = 0xC;
    /** CR0. */
    public static final int CR0 = 0x20;
    /** CR0ACK. */
    public static final int CR0ACK = 0x24;
    /** GERROR. */
    public static final int GERROR = 0x60;
    /** GERRORN. */
    public static final int GERRORN = 0x64;
    /** CMDQ_BASE, low half (or the whole 64-bit register). */
    public static final int CMDQ_BASE = 0x90;
    /** CMDQ_BASE, high half. */
    public static final int CMDQ_BASE_HI = 0x94;
    /** CMDQ_PROD. */
    public static final int CMDQ_PROD = 0x98;
    /** CMDQ_CONS. */
    public static final int CMDQ_CONS = 0x9C;

    /**
     * IDR0.S1P: stage 1 translation (Linux {@code IDR0_S1P}; not in the shared docs' table). A Linux guest
     * refuses an SMMU with neither S1P nor S2P, and the accelerated vSMMU is stage 1 only.
     */
    public static final int IDR0_S1P = 1 << 1;
    /** IDR0.TTF = AArch64 (value 2 in bits 3:2, Linux {@code IDR0_TTF_AARCH64}; not in the shared docs' table). */
    public static final int IDR0_TTF_AARCH64 = 2 << 2;
    /** IDR0.ATS. */
    public static final int IDR0_ATS = 1 << 10;
    /** IDR0.ASID16. */
    public static final int IDR0_ASID16 = 1 << 12;
    /** IDR0.MSI: never advertised by this vSMMU (as QEMU's), so the guest polls CONS. */
    public static final int IDR0_MSI = 1 << 13;
    /** IDR0.SEV. */
    public static final int IDR0_SEV = 1 << 14;
    /** IDR1.CMDQS shift (5 bits: max log2 of CMDQ entries). */
    public static final int IDR1_CMDQS_SHIFT = 21;
    /** IDR1.CMDQS mask (unshifted). */
    public static final int IDR1_CMDQS_MASK = 0x1F;
    /** IDR1.SIDSIZE mask (6 bits at 0). */
    public static final int IDR1_SIDSIZE_MASK = 0x3F;
    /** IDR3.RIL: range invalidation. */
    public static final int IDR3_RIL = 1 << 10;

    /** CR0.CMDQEN. */
    public static final int CR0_CMDQEN = 1 << 3;
    /** CR0 bits this vSMMU defines (SMMUEN, PRIQEN, EVTQEN, CMDQEN, ATSCHK); CR0ACK mirrors these. */
    public static final int CR0_DEFINED = 0x1F;

    /** CMDQ_BASE.RA (read-allocate hint). */
    public static final long BASE_RA = 1L << 62;
    /** CMDQ_BASE.ADDR, bits 51:5 in place. */
    public static final long BASE_ADDR_MASK = 0x000F_FFFF_FFFF_FFE0L;
    /** CMDQ_BASE.LOG2SIZE, bits 4:0. */
    public static final long BASE_LOG2SIZE_MASK = 0x1FL;
    /** Every CMDQ_BASE bit stored; others read as zero. */
    public static final long BASE_DEFINED = BASE_RA | BASE_ADDR_MASK | BASE_LOG2SIZE_MASK;

    /** CMDQ_CONS.ERR shift. */
    public static final int CONS_ERR_SHIFT = 24;
    /** CMDQ_CONS.ERR mask in place (bits 30:24). */
    public static final int CONS_ERR_MASK = 0x7F << CONS_ERR_SHIFT;

    private SmmuPage0()
    {
    }

    /**
     * @param offset an offset in the SMMU region.
     * @return its register's name, or {@code "0x<offset>"} for an offset with no register here.
     */
    public static String name(final int offset)
    {
        switch (offset % PAGE_SIZE)
        {
            case IDR0: return "IDR0";
            case IDR1: return "IDR1";
            case IDR3: return "IDR3";
            case CR0: return "CR0";
            case CR0ACK: return "CR0ACK";
            case GERROR: return "GERROR";
            case GERRORN: return "GERRORN";
            case CMDQ_BASE: return "CMDQ_BASE";
            case CMDQ_BASE_HI: return "CMDQ_BASE_HI";
            case CMDQ_PROD: return "CMDQ_PROD";
            case CMDQ_CONS: return "CMDQ_CONS";
            default: return "0x" + Integer.toHexString(offset);
        }
    }
}
