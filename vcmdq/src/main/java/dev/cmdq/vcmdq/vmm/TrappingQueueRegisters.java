package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.QueueRegisters;

import java.util.Objects;

/**
 * The {@link QueueRegisters} of a vSMMU's emulated command queue as a guest sees them: every access is
 * an MMIO access to SMMU page 0 that exits into {@link Vsmmu#mmioRead}/{@link Vsmmu#mmioWrite} — one
 * modelled VM exit, one trap counted, the vSMMU's lock taken, the front-end called. A PROD write returns
 * only after the trap handler consumed the queue; a CONS poll is one more exit each time.
 *
 * <p>Ordering: the lock orders every access with the trap handler's, which is at least the acquire
 * (reads) and release (writes) the interface asks for. GERROR is read-only to software: a write to it is
 * ignored (and counted), as on an SMMU.
 */
public final class TrappingQueueRegisters implements QueueRegisters
{
    private final Vsmmu vsmmu;

    /**
     * @param vsmmu the vSMMU whose CMDQ registers these are.
     */
    TrappingQueueRegisters(final Vsmmu vsmmu)
    {
        this.vsmmu = Objects.requireNonNull(vsmmu, "vsmmu");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getProdAcquire()
    {
        return (int)vsmmu.mmioRead(SmmuPage0.CMDQ_PROD, Integer.BYTES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putProdRelease(final int value)
    {
        vsmmu.mmioWrite(SmmuPage0.CMDQ_PROD, value & 0xFFFF_FFFFL, Integer.BYTES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getConsAcquire()
    {
        return (int)vsmmu.mmioRead(SmmuPage0.CMDQ_CONS, Integer.BYTES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putConsRelease(final int value)
    {
        vsmmu.mmioWrite(SmmuPage0.CMDQ_CONS, value & 0xFFFF_FFFFL, Integer.BYTES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getGerrorAcquire()
    {
        return (int)vsmmu.mmioRead(SmmuPage0.GERROR, Integer.BYTES);
    }

    /**
     * Ignored by the vSMMU (GERROR is read-only to software); still one exit.
     */
    @Override
    public void putGerrorRelease(final int value)
    {
        vsmmu.mmioWrite(SmmuPage0.GERROR, value & 0xFFFF_FFFFL, Integer.BYTES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getGerrornAcquire()
    {
        return (int)vsmmu.mmioRead(SmmuPage0.GERRORN, Integer.BYTES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putGerrornRelease(final int value)
    {
        vsmmu.mmioWrite(SmmuPage0.GERRORN, value & 0xFFFF_FFFFL, Integer.BYTES);
    }
}
