package dev.cmdq.vcmdq.vmm;

/**
 * The emulated Tegra241 CMDQV aperture a vSMMU exposes to its guest, as QEMU lays it out
 * (vcmdq-viommu.md §1.2, §1.3, §1.5, §1.6, §1.10): the config page, the global VCMDQ pages 0 and 1, and
 * the pages 0 and 1 of the one VINTF the guest sees. Offsets are relative to the aperture's base and
 * are the hardware's, so a guest driver written for the real page finds every register where it looks.
 * The VMM keeps its own copy of these numbers: it never sees the hardware model's layout classes.
 *
 * <pre>
 *  0x00000 config page (trapped)
 *    0x000 CONFIG  bit0 CMDQV_EN          0x004 PARAM (RO)        0x008 STATUS bit0 ENABLED (RO)
 *    0x014 VI_ERR_MAP[0..1]   (RO)        0x01C VI_INT_MASK[0..1]
 *    0x024 CMDQ_ERR_MAP[0..3] (RO)        0x200 + 4q CMDQ_ALLOC_MAP[q]  bit0 ALLOC
 *    0x1000 VINTF0: +0x00 CONFIG (bit0 ENABLE, VMID 16:1, HYP_OWN 17 reads 0)  +0x04 STATUS bit0 ENABLE_OK
 *                   +0x40 + 4s SID_MATCH[s]   +0x80 + 4s SID_REPLACE[s]        (cached only, §1.8)
 *                   +0xC0 LVCMDQ_ERR_MAP[0..3] (RO)
 *  0x10000 global VCMDQ page 0 (trapped; forwarded to the mapping once the queue has a HW queue)
 *    + 0x80q: 0x00 CONS  0x04 PROD  0x08 CONFIG bit0 CMDQ_EN  0x0C STATUS bit0 CMDQ_EN_OK
 *             0x10 GERROR (bit2 CMDQ_INIT_ERR)  0x14 GERRORN
 *  0x20000 global VCMDQ page 1 (trapped)
 *    + 0x80q: 0x00 BASE_L  0x04 BASE_H  (BASE: LOG2SIZE 4:0, ADDR 47:5)  0x08/0x0C CONS_INDX_BASE_L/H
 *  0x30000 VINTF0 page 0: LVCMDQ l at + 0x80l, layout of global page 0 -- mapped into the guest
 *  0x40000 VINTF0 page 1: LVCMDQ l at + 0x80l, layout of global page 1 -- trapped
 *  0x50000 end
 *
 *  PARAM as QEMU reports it
 *   31          16 15        12 11         8 7          4 3        0
 *  +--------------+------------+------------+------------+----------+
 *  |      0       | SIDS = 4   | VINTFS = 0 | VCMDQS = 1 | VER = 1  |   = 0x4011
 *  +--------------+------------+------------+------------+----------+
 * </pre>
 */
public final class CmdqvAperture
{
    /** Bytes QEMU exposes: config page, global pages 0/1, VINTF0 pages 0/1. */
    public static final int LENGTH = 0x50000;
    /** Bytes of one page. */
    public static final int PAGE_SIZE = 0x10000;

    /** Global CONFIG. */
    public static final int CONFIG = 0x000;
    /** PARAM (read-only). */
    public static final int PARAM = 0x004;
    /** Global STATUS (read-only). */
    public static final int STATUS = 0x008;
    /** VI_ERR_MAP word 0; word 1 at +4. */
    public static final int VI_ERR_MAP = 0x014;
    /** VI_INT_MASK word 0; word 1 at +4. */
    public static final int VI_INT_MASK = 0x01C;
    /** CMDQ_ERR_MAP word 0; words 1..3 at +4 each. */
    public static final int CMDQ_ERR_MAP = 0x024;
    /** CMDQ_ALLOC_MAP[0]; queue q at {@code + 4q}. */
    public static final int CMDQ_ALLOC_MAP = 0x200;
    /** VINTF0 CONFIG. */
    public static final int VINTF0_CONFIG = 0x1000;
    /** VINTF0 STATUS (read-only). */
    public static final int VINTF0_STATUS = 0x1004;
    /** VINTF0 SID_MATCH[0]; slot s at {@code + 4s}. */
    public static final int VINTF0_SID_MATCH = 0x1040;
    /** VINTF0 SID_REPLACE[0]; slot s at {@code + 4s}. */
    public static final int VINTF0_SID_REPLACE = 0x1080;
    /** VINTF0 LVCMDQ_ERR_MAP word 0; words 1..3 at +4 each. */
    public static final int VINTF0_LVCMDQ_ERR_MAP = 0x10C0;

    /** Global VCMDQ page 0. */
    public static final int VCMDQ_PAGE0 = 0x10000;
    /** Global VCMDQ page 1. */
    public static final int VCMDQ_PAGE1 = 0x20000;
    /** VINTF0 page 0 (the page mapped into the guest). */
    public static final int VINTF0_PAGE0 = 0x30000;
    /** VINTF0 page 1. */
    public static final int VINTF0_PAGE1 = 0x40000;
    /** Bytes between two queues' registers in every queue page. */
    public static final int VCMDQ_STRIDE = 0x80;

    /** Page 0 CONS, relative to the queue's block. */
    public static final int CONS = 0x00;
    /** Page 0 PROD. */
    public static final int PROD = 0x04;
    /** Page 0 CONFIG. */
    public static final int VCMDQ_CONFIG = 0x08;
    /** Page 0 STATUS. */
    public static final int VCMDQ_STATUS = 0x0C;
    /** Page 0 GERROR. */
    public static final int GERROR = 0x10;
    /** Page 0 GERRORN. */
    public static final int GERRORN = 0x14;
    /** Page 1 BASE_L (a 64-bit write here writes the whole BASE). */
    public static final int BASE_L = 0x00;
    /** Page 1 BASE_H. */
    public static final int BASE_H = 0x04;
    /** Page 1 CONS_INDX_BASE_DRAM_L (a 64-bit write here writes both halves). */
    public static final int CONS_INDX_BASE_L = 0x08;
    /** Page 1 CONS_INDX_BASE_DRAM_H. */
    public static final int CONS_INDX_BASE_H = 0x0C;

    /** Logical VCMDQs of the guest's one VINTF (QEMU: two). */
    public static final int LVCMDQS = 2;
    /** SID_MATCH/SID_REPLACE pairs of the VINTF (QEMU: 16). */
    public static final int SID_SLOTS = 16;

    /** Bit 0 of CONFIG (CMDQV_EN), VINTF CONFIG (ENABLE), CMDQ_ALLOC_MAP (ALLOC), queue CONFIG (CMDQ_EN). */
    public static final int ENABLE = 1;
    /** VINTF CONFIG HYP_OWN: wired to 0 for a guest (§1.5). */
    public static final int HYP_OWN = 1 << 17;
    /** Queue GERROR CMDQ_ERR. */
    public static final int CMDQ_ERR = 1;
    /** Queue GERROR CMDQ_INIT_ERR: the emulation could not get the queue a HW queue (§1.10). */
    public static final int CMDQ_INIT_ERR = 1 << 2;
    /** QEMU's reset value of CONFIG: CMDQV_EN with its batch fields. */
    public static final int CONFIG_RESET = 0x0002_0403;
    /** PARAM: VER 1, log2 VCMDQs 1, log2 VINTFs 0, log2 SID slots 4. */
    public static final int PARAM_VALUE = 1 | (1 << 4) | (0 << 8) | (4 << 12);
    /** BASE LOG2SIZE mask. */
    public static final long BASE_LOG2SIZE_MASK = 0x1FL;
    /** BASE address mask (bits 47:5). */
    public static final long BASE_ADDR_MASK = 0x0000_FFFF_FFFF_FFE0L;

    private CmdqvAperture()
    {
    }

    /**
     * @param base a BASE value.
     * @return its ring bytes, {@code 1 << (LOG2SIZE + 4)}, as QEMU passes them to IOMMU_HW_QUEUE_ALLOC.
     */
    public static long ringBytes(final long base)
    {
        return 1L << ((int)(base & BASE_LOG2SIZE_MASK) + 4);
    }
}
