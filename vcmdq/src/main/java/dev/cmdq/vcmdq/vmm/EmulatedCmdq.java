package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.GlobalError;

/**
 * The emulated state of a vSMMU's command queue — what QEMU keeps in {@code SMMUv3State} for it:
 * CMDQ_BASE, PROD, CONS (with ERR), CR0/CR0ACK, GERROR/GERRORN. Plain fields: every access happens
 * under the vSMMU's lock (an MMIO exit or the trap handler it runs), which orders them.
 *
 * <pre>
 *   base      raw CMDQ_BASE as written (defined bits only)
 *   log2Size  min(base.LOG2SIZE, IDR1.CMDQS)            (QEMU's clamp, smmuv3-cmdq.md §5.1)
 *   prod      as written by the guest
 *   cons      index+wrap in [L:0], ERR in 30:24
 * </pre>
 */
final class EmulatedCmdq
{
    private final int cmdqLog2Max;
    private long base;
    private int log2Size;
    private int prod;
    private int cons;
    private int cr0;
    private int gerror;
    private int gerrorn;

    EmulatedCmdq(final int cmdqLog2Max)
    {
        this.cmdqLog2Max = cmdqLog2Max;
    }

    long base()
    {
        return base;
    }

    void base(final long value)
    {
        base = value & SmmuPage0.BASE_DEFINED;
        log2Size = Math.min((int)(base & SmmuPage0.BASE_LOG2SIZE_MASK), cmdqLog2Max);
    }

    /**
     * @return guest-physical address of slot 0.
     */
    long baseAddress()
    {
        return base & SmmuPage0.BASE_ADDR_MASK;
    }

    int log2Size()
    {
        return log2Size;
    }

    int prod()
    {
        return prod;
    }

    void prod(final int value)
    {
        prod = value;
    }

    int cons()
    {
        return cons;
    }

    void cons(final int value)
    {
        cons = value;
    }

    int cr0()
    {
        return cr0;
    }

    void cr0(final int value)
    {
        cr0 = value;
    }

    int cr0ack()
    {
        return cr0 & SmmuPage0.CR0_DEFINED;
    }

    boolean enabled()
    {
        return (cr0 & SmmuPage0.CR0_CMDQEN) != 0;
    }

    int gerror()
    {
        return gerror;
    }

    int gerrorn()
    {
        return gerrorn;
    }

    void gerrorn(final int value)
    {
        gerrorn = value;
    }

    boolean cmdqErrorActive()
    {
        return (GlobalError.active(gerror, gerrorn) & GlobalError.CMDQ_ERR) != 0;
    }

    /**
     * Stops the queue on the entry at {@code at}: CONS := at with ERR = code, other high bits kept;
     * GERROR.CMDQ_ERR flipped unless already active (the toggle protocol, §1.5).
     */
    void fail(final int at, final int code, final int wrapIndexMask)
    {
        cons = (cons & ~wrapIndexMask & ~SmmuPage0.CONS_ERR_MASK) | (code << SmmuPage0.CONS_ERR_SHIFT) | at;
        gerror = GlobalError.raise(gerror, gerrorn, GlobalError.CMDQ_ERR);
    }

    /**
     * Moves CONS to {@code to} (index and wrap), keeping the bits above them (ERR), as QEMU does.
     */
    void advance(final int to, final int wrapIndexMask)
    {
        cons = (cons & ~wrapIndexMask) | to;
    }
}
