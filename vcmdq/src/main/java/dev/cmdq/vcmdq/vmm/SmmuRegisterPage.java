package dev.cmdq.vcmdq.vmm;

import java.util.Objects;

/**
 * The register front-end of a vSMMU's SMMU pages, as QEMU's {@code smmu_readl/readll/writel/writell}
 * implement them for the command queue (smmuv3-cmdq.md §5.1); page 1 aliases page 0.
 *
 * <pre>
 *   register     read                         write (4 bytes unless noted)
 *   IDR0/1/3     {@link VsmmuIdentity}              ignored (read-only)
 *   CR0          last written                 stored; CR0ACK follows at once; runs the trap handler
 *   CR0ACK       CR0's defined bits           ignored
 *   GERROR       SMMU's toggles               ignored (read-only to software)
 *   GERRORN      last written                 stored; runs the trap handler (the acknowledge)
 *   CMDQ_BASE    defined bits, 8 B or halves  stored (8 B or halves); LOG2SIZE clamped to IDR1.CMDQS
 *   CMDQ_PROD    last written                 stored; runs the trap handler
 *   CMDQ_CONS    index, wrap, ERR             stored
 *   other        0, counted                   ignored, counted
 * </pre>
 *
 * An 8-byte access to a 32-bit register, or an access of another width, reads zero and writes nothing
 * (QEMU logs such accesses as unimplemented); it is counted in {@link VsmmuCounters#ignoredAccesses()}.
 */
public final class SmmuRegisterPage implements MmioRegion
{
    private final VsmmuIdentity identity;
    private final EmulatedCmdq cmdq;
    private final TrapHandler handler;
    private final VsmmuCounters counters;

    SmmuRegisterPage(
        final VsmmuIdentity identity,
        final EmulatedCmdq cmdq,
        final TrapHandler handler,
        final VsmmuCounters counters)
    {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.cmdq = Objects.requireNonNull(cmdq, "cmdq");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long read(final int offset, final int width)
    {
        final int register = offset % SmmuPage0.PAGE_SIZE;
        if (width == Long.BYTES)
        {
            if (register == SmmuPage0.CMDQ_BASE)
            {
                return cmdq.base();
            }
            return ignored();
        }
        if (width != Integer.BYTES)
        {
            return ignored();
        }
        switch (register)
        {
            case SmmuPage0.IDR0: return identity.idr0() & 0xFFFF_FFFFL;
            case SmmuPage0.IDR1: return identity.idr1() & 0xFFFF_FFFFL;
            case SmmuPage0.IDR3: return identity.idr3() & 0xFFFF_FFFFL;
            case SmmuPage0.CR0: return cmdq.cr0() & 0xFFFF_FFFFL;
            case SmmuPage0.CR0ACK: return cmdq.cr0ack() & 0xFFFF_FFFFL;
            case SmmuPage0.GERROR: return cmdq.gerror() & 0xFFFF_FFFFL;
            case SmmuPage0.GERRORN: return cmdq.gerrorn() & 0xFFFF_FFFFL;
            case SmmuPage0.CMDQ_BASE: return cmdq.base() & 0xFFFF_FFFFL;
            case SmmuPage0.CMDQ_BASE_HI: return cmdq.base() >>> 32;
            case SmmuPage0.CMDQ_PROD: return cmdq.prod() & 0xFFFF_FFFFL;
            case SmmuPage0.CMDQ_CONS: return cmdq.cons() & 0xFFFF_FFFFL;
            default: return ignored();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void write(final int offset, final long value, final int width)
    {
        final int register = offset % SmmuPage0.PAGE_SIZE;
        if (width == Long.BYTES)
        {
            if (register == SmmuPage0.CMDQ_BASE)
            {
                cmdq.base(value);
            }
            else
            {
                ignored();
            }
            return;
        }
        if (width != Integer.BYTES)
        {
            ignored();
            return;
        }
        final int v = (int)value;
        switch (register)
        {
            case SmmuPage0.CR0:
                cmdq.cr0(v);
                handler.consume();
                break;
            case SmmuPage0.GERRORN:
                cmdq.gerrorn(v);
                handler.consume();
                break;
            case SmmuPage0.CMDQ_BASE:
                cmdq.base((cmdq.base() & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL));
                break;
            case SmmuPage0.CMDQ_BASE_HI:
                cmdq.base((cmdq.base() & 0xFFFF_FFFFL) | ((long)v << 32));
                break;
            case SmmuPage0.CMDQ_PROD:
                cmdq.prod(v);
                handler.consume();
                break;
            case SmmuPage0.CMDQ_CONS:
                cmdq.cons(v);
                break;
            default:
                ignored();
                break;
        }
    }

    private long ignored()
    {
        counters.ignoredAccesses().incrementRelease();
        return 0;
    }
}
