package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.MappedQueueRegisters;

/**
 * The registers of one VCMDQ as this model lays them out (vcmdq-viommu.md §1.6). The hardware packs
 * page 0 (control) and page 1 (location) at a 0x80 stride; here every register gets its own 128-byte
 * line, as {@link MappedQueueRegisters} does, so the guest's PROD and the engine's CONS never
 * false-share. The first four lines are exactly a {@link MappedQueueRegisters} block, which is what
 * a guest gets mapped.
 *
 * <pre>
 *  offset    0 PROD            page 0 (mapped into the guest)
 *  offset  128 CONS            ERR in bits 30:24
 *  offset  256 GERROR          bit0 CMDQ_ERR, bit1 CONS_DRAM_WR_ABT_ERR, bit2 CMDQ_INIT_ERR
 *  offset  384 GERRORN
 *  offset  512 CONFIG          bit0 CMDQ_EN
 *  offset  640 STATUS          bit0 CMDQ_EN_OK
 *  offset  768 BASE (64-bit)   page 1 (host only: it holds an address)
 *  offset  896 CONS_INDX_BASE (64-bit, not used: Linux writes 0)
 *
 *  BASE
 *   63        48 47                                          5 4          0
 *  +------------+---------------------------------------------+------------+
 *  |     0      |             queue base address              |  LOG2SIZE  |
 *  +------------+---------------------------------------------+------------+
 * </pre>
 */
public final class VcmdqLayout
{
    /** Bytes between two registers. */
    public static final int STRIDE = MappedQueueRegisters.REGISTER_STRIDE;
    /** CONFIG. */
    public static final int CONFIG = MappedQueueRegisters.LENGTH;
    /** STATUS. */
    public static final int STATUS = CONFIG + STRIDE;
    /** BASE (64-bit). */
    public static final int BASE = STATUS + STRIDE;
    /** CONS_INDX_BASE (64-bit). */
    public static final int CONS_INDX_BASE = BASE + STRIDE;
    /** Bytes of one VCMDQ's block. */
    public static final int LENGTH = CONS_INDX_BASE + STRIDE;

    /** CONFIG.CMDQ_EN and STATUS.CMDQ_EN_OK. */
    public static final int CMDQ_EN = 1;
    /** VCMDQ GERROR.CMDQ_INIT_ERR (QEMU: the queue could not be set up). */
    public static final int CMDQ_INIT_ERR = 1 << 2;
    /** BASE.LOG2SIZE mask. */
    public static final long LOG2SIZE_MASK = 0x1FL;
    /** BASE address mask (bits 47:5). */
    public static final long ADDR_MASK = 0x0000_FFFF_FFFF_FFE0L;

    private VcmdqLayout()
    {
    }

    /**
     * @param address  ring base address, 32-byte aligned, below 2^48.
     * @param log2Size log2 of the entries, 0..31.
     * @return the BASE value.
     * @throws IllegalArgumentException naming the field that does not fit.
     */
    public static long base(final long address, final int log2Size)
    {
        if ((address & ~ADDR_MASK) != 0)
        {
            throw new IllegalArgumentException("address=0x" + Long.toHexString(address) +
                " is not 32-byte aligned or exceeds BASE's bits 47:5");
        }
        if ((log2Size & ~LOG2SIZE_MASK) != 0)
        {
            throw new IllegalArgumentException("log2Size=" + log2Size + " does not fit BASE's 5-bit LOG2SIZE");
        }
        return address | log2Size;
    }

    /**
     * @param base a BASE value.
     * @return its address.
     */
    public static long address(final long base)
    {
        return base & ADDR_MASK;
    }

    /**
     * @param base a BASE value.
     * @return its LOG2SIZE.
     */
    public static int log2Size(final long base)
    {
        return (int)(base & LOG2SIZE_MASK);
    }
}
