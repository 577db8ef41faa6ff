package dev.cmdq.vcmdq.hw;

/**
 * The CMDQV config page (vcmdq-viommu.md §1.2, §1.3, §1.5): offsets of the global and VINTF registers
 * as the host driver programs them, and the packed fields of each. Offsets are the hardware's, so a
 * trace of this model reads like a trace of the real page.
 *
 * <pre>
 *  config page
 *   0x000 CONFIG        0x004 PARAM (RO)   0x008 STATUS
 *   0x014 VI_ERR_MAP[0..1]        (u32 x2: one bit per VINTF in error)
 *   0x01C VI_INT_MASK[0..1]
 *   0x024 CMDQ_ERR_MAP[0..3]      (u32 x4: one bit per global VCMDQ in error)
 *   0x200 + 4q   CMDQ_ALLOC[q]
 *   0x1000 + 0x100v  VINTF v:
 *        +0x00 CONFIG  +0x04 STATUS  +0x40+4s SID_MATCH[s]  +0x80+4s SID_REPLACE[s]
 *        +0xC0 LVCMDQ_ERR_MAP[0..3] (u32 x4: one bit per logical VCMDQ of the VINTF in error)
 *
 *  CONFIG (global)
 *   31                                                          1    0
 *  +-------------------------------------------------------------+--------+
 *  |         (PER_CMD_OFFSET, batch limits: not modelled)        |CMDQV_EN|
 *  +-------------------------------------------------------------+--------+
 *  PARAM
 *   31          16 15        12 11         8 7          4 3        0
 *  +--------------+------------+------------+------------+----------+
 *  |      0       | LOG2_SIDS  |LOG2_VINTFS |LOG2_VCMDQS |   VER    |
 *  +--------------+------------+------------+------------+----------+
 *  CMDQ_ALLOC[q]
 *   31        21 20         15 14      8 7               1     0
 *  +------------+-------------+---------+-----------------+---------+
 *  |     0      |    VINTF    |    0    |     LVCMDQ      |ALLOCATED|
 *  +------------+-------------+---------+-----------------+---------+
 *  VINTF CONFIG
 *   31              18    17     16                          1    0
 *  +------------------+-------+-----------------------------+--------+
 *  |        0         |HYP_OWN|            VMID             | ENABLE |
 *  +------------------+-------+-----------------------------+--------+
 *  SID_MATCH[s]                              SID_REPLACE[s]
 *   31     21 20               1    0          31     20 19              0
 *  +---------+------------------+------+      +---------+-----------------+
 *  |    0    |   virtual SID    |ENABLE|      |    0    |  physical SID   |
 *  +---------+------------------+------+      +---------+-----------------+
 * </pre>
 *
 * STATUS registers (global and VINTF) carry ENABLED in bit 0.
 */
public final class CmdqvLayout
{
    /** Global CONFIG. */
    public static final int CONFIG = 0x000;
    /** PARAM (read-only sizing). */
    public static final int PARAM = 0x004;
    /** Global STATUS. */
    public static final int STATUS = 0x008;
    /** VI_ERR_MAP word 0 (VINTFs 0..31); word 1 follows at +4. */
    public static final int VI_ERR_MAP = 0x014;
    /** VI_INT_MASK word 0; word 1 follows at +4. */
    public static final int VI_INT_MASK = 0x01C;
    /** CMDQ_ERR_MAP word 0 (VCMDQs 0..31); words 1..3 follow at +4 each. */
    public static final int CMDQ_ERR_MAP = 0x024;
    /** CMDQ_ALLOC[0]; queue q at {@code + 4q}. */
    public static final int CMDQ_ALLOC = 0x200;
    /** VINTF 0's register block; VINTF v at {@code + 0x100 v}. */
    public static final int VINTF_BASE = 0x1000;
    /** Bytes between two VINTF blocks. */
    public static final int VINTF_STRIDE = 0x100;
    /** VINTF CONFIG, relative to the VINTF block. */
    public static final int VINTF_CONFIG = 0x00;
    /** VINTF STATUS, relative to the VINTF block. */
    public static final int VINTF_STATUS = 0x04;
    /** SID_MATCH[0], relative to the VINTF block; slot s at {@code + 4s}. */
    public static final int SID_MATCH = 0x40;
    /** SID_REPLACE[0], relative to the VINTF block; slot s at {@code + 4s}. */
    public static final int SID_REPLACE = 0x80;
    /** LVCMDQ_ERR_MAP word 0, relative to the VINTF block; words 1..3 at +4 each. */
    public static final int LVCMDQ_ERR_MAP = 0xC0;

    /** SID_MATCH/SID_REPLACE pairs per VINTF (0x40..0x7F holds 16 words). */
    public static final int SID_SLOTS = 16;
    /** log2 of {@link #SID_SLOTS}, as PARAM reports it. */
    public static final int LOG2_SID_SLOTS = 4;
    /** Most VINTFs the 6-bit VINTF field of CMDQ_ALLOC (and the 64-bit VI_ERR_MAP) can name. */
    public static final int MAX_VINTFS = 64;
    /** Most VCMDQs the 128-bit CMDQ_ERR_MAP can name. */
    public static final int MAX_VCMDQS = 128;
    /** PARAM.VER the model reports (QEMU's probe requires 1). */
    public static final int VERSION = 1;

    /** Bit 0 of CONFIG (CMDQV_EN), VINTF CONFIG (ENABLE), SID_MATCH (ENABLE) and every STATUS (ENABLED). */
    public static final int ENABLE = 1;
    /** VINTF CONFIG VMID, low bit. */
    public static final int VMID_SHIFT = 1;
    /** VINTF CONFIG VMID (16 bits) in place. */
    public static final int VMID_MASK = 0xFFFF << VMID_SHIFT;
    /** VINTF CONFIG HYP_OWN. */
    public static final int HYP_OWN = 1 << 17;
    /** CMDQ_ALLOC ALLOCATED. */
    public static final int ALLOCATED = 1;
    /** CMDQ_ALLOC LVCMDQ, low bit. */
    public static final int LVCMDQ_SHIFT = 1;
    /** CMDQ_ALLOC LVCMDQ (7 bits) in place. */
    public static final int LVCMDQ_MASK = 0x7F << LVCMDQ_SHIFT;
    /** CMDQ_ALLOC VINTF, low bit. */
    public static final int ALLOC_VINTF_SHIFT = 15;
    /** CMDQ_ALLOC VINTF (6 bits) in place. */
    public static final int ALLOC_VINTF_MASK = 0x3F << ALLOC_VINTF_SHIFT;
    /** SID_MATCH virtual SID, low bit. */
    public static final int VSID_SHIFT = 1;
    /** Width of the virtual and physical SID fields. */
    public static final int SID_BITS = 20;
    /** Largest SID a SID_MATCH or SID_REPLACE can hold. */
    public static final int SID_MAX = (1 << SID_BITS) - 1;

    private CmdqvLayout()
    {
    }

    /**
     * @param vintf a VINTF index.
     * @return byte offset of its register block.
     */
    public static int vintf(final int vintf)
    {
        return VINTF_BASE + VINTF_STRIDE * vintf;
    }

    /**
     * @param numVintfs VINTFs modelled.
     * @return bytes of the config page up to the end of the last VINTF block.
     */
    public static int pageBytes(final int numVintfs)
    {
        return vintf(numVintfs);
    }

    /**
     * @param vmid    16-bit VMID.
     * @param hypOwn  HYP_OWN.
     * @param enable  ENABLE.
     * @return a VINTF CONFIG value.
     * @throws IllegalArgumentException naming {@code vmid} when it is not 16-bit.
     */
    public static int vintfConfig(final int vmid, final boolean hypOwn, final boolean enable)
    {
        if ((vmid & ~0xFFFF) != 0)
        {
            throw new IllegalArgumentException("vmid=" + vmid + " is not a 16-bit VMID");
        }
        return (vmid << VMID_SHIFT) | (hypOwn ? HYP_OWN : 0) | (enable ? ENABLE : 0);
    }

    /**
     * @param config a VINTF CONFIG value.
     * @return its VMID.
     */
    public static int vmid(final int config)
    {
        return (config & VMID_MASK) >>> VMID_SHIFT;
    }

    /**
     * @param vintf     VINTF index, 0..63.
     * @param lvcmdq    logical index, 0..127.
     * @param allocated ALLOCATED.
     * @return a CMDQ_ALLOC value.
     * @throws IllegalArgumentException naming the field that does not fit.
     */
    public static int cmdqAlloc(final int vintf, final int lvcmdq, final boolean allocated)
    {
        if (vintf < 0 || vintf >= MAX_VINTFS)
        {
            throw new IllegalArgumentException("vintf=" + vintf + " does not fit CMDQ_ALLOC's 6-bit VINTF field");
        }
        if (lvcmdq < 0 || lvcmdq > 0x7F)
        {
            throw new IllegalArgumentException("lvcmdq=" + lvcmdq + " does not fit CMDQ_ALLOC's 7-bit LVCMDQ field");
        }
        return (vintf << ALLOC_VINTF_SHIFT) | (lvcmdq << LVCMDQ_SHIFT) | (allocated ? ALLOCATED : 0);
    }

    /**
     * @param alloc a CMDQ_ALLOC value.
     * @return its VINTF index.
     */
    public static int allocVintf(final int alloc)
    {
        return (alloc & ALLOC_VINTF_MASK) >>> ALLOC_VINTF_SHIFT;
    }

    /**
     * @param alloc a CMDQ_ALLOC value.
     * @return its logical VCMDQ index.
     */
    public static int allocLvcmdq(final int alloc)
    {
        return (alloc & LVCMDQ_MASK) >>> LVCMDQ_SHIFT;
    }

    /**
     * @param vsid a virtual SID, 0..{@value #SID_MAX}.
     * @return the SID_MATCH value that enables a slot for it ({@code vSID << 1 | 1}, §1.8).
     * @throws IllegalArgumentException naming {@code vsid} when it does not fit 20 bits.
     */
    public static int sidMatch(final long vsid)
    {
        if (vsid < 0 || vsid > SID_MAX)
        {
            throw new IllegalArgumentException("vsid=0x" + Long.toHexString(vsid) + " does not fit SID_MATCH's 20 bits");
        }
        return ((int)vsid << VSID_SHIFT) | ENABLE;
    }
}
