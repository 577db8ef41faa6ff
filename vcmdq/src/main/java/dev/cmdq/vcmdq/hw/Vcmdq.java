package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.GuestMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The registers of one VCMDQ (vcmdq-viommu.md §1.6; laid out per {@link VcmdqLayout}) and the memory
 * its BASE address is resolved in. Page 0 — PROD, CONS, GERROR, GERRORN as a
 * {@link MappedQueueRegisters}, plus CONFIG and STATUS — is what a guest gets mapped; page 1 (BASE)
 * only the host writes.
 *
 * <p><b>Address space.</b> The model has no system physical memory: the host {@link #attachMemory attaches}
 * the memory a queue's BASE names (a VM's RAM, addresses guest-physical — the stage-2 mapping of a
 * pinned, contiguous range taken as identity). A BASE range outside it cannot be fetched: CERROR_ABT
 * ({@link HardwarePolicy}, {@code fetchAbort}).
 *
 * <p><b>Enable handshake.</b> Software writes CONFIG.CMDQ_EN; the engine sees it on its next duty cycle,
 * starts (or stops) consuming and then sets (or clears) STATUS.CMDQ_EN_OK, which software polls. BASE
 * and the attached memory are read at enable, so they must be written before.
 *
 * <p>Every register is an off-heap word with acquire reads and release writes; only the engine writes
 * CONS, GERROR and STATUS.
 */
public final class Vcmdq implements AutoCloseable
{
    private final int index;
    private final AtomicBuffer block;
    private final MappedQueueRegisters registers;
    private volatile GuestMemory memory;

    Vcmdq(final int index)
    {
        this.index = index;
        this.block = new UnsafeBuffer(BufferUtil.allocateDirectAligned(VcmdqLayout.LENGTH, VcmdqLayout.STRIDE));
        this.registers = MappedQueueRegisters.wrap(block, 0);
    }

    /**
     * @return the global VCMDQ index.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return page 0's PROD, CONS, GERROR and GERRORN: what the guest's driver (or the host's) uses.
     */
    public MappedQueueRegisters registers()
    {
        return registers;
    }

    /**
     * @param value new CONFIG (bit 0 CMDQ_EN).
     */
    public void writeConfig(final int value)
    {
        block.putIntRelease(VcmdqLayout.CONFIG, value);
    }

    /**
     * @return CONFIG.
     */
    public int config()
    {
        return block.getIntAcquire(VcmdqLayout.CONFIG);
    }

    /**
     * @return STATUS (bit 0 CMDQ_EN_OK, written by the engine).
     */
    public int status()
    {
        return block.getIntAcquire(VcmdqLayout.STATUS);
    }

    /**
     * @return true while the engine consumes the queue (STATUS.CMDQ_EN_OK).
     */
    public boolean isEnabled()
    {
        return (status() & VcmdqLayout.CMDQ_EN) != 0;
    }

    /**
     * @param value new BASE ({@link VcmdqLayout#base}); read by the engine at enable.
     */
    public void writeBase(final long value)
    {
        block.putLongRelease(VcmdqLayout.BASE, value);
    }

    /**
     * @return BASE.
     */
    public long base()
    {
        return block.getLongAcquire(VcmdqLayout.BASE);
    }

    /**
     * @param memory the memory BASE addresses name, or null to detach.
     */
    public void attachMemory(final GuestMemory memory)
    {
        this.memory = memory;
    }

    /**
     * @return the attached memory, or null.
     */
    public GuestMemory memory()
    {
        return memory;
    }

    /**
     * Deinit (§1.9 step 5): zeroes PROD, CONS, BASE and CONS_INDX_BASE and clears any leftover error by
     * writing GERRORN := GERROR; detaches the memory.
     *
     * @throws IllegalStateException naming the queue while the engine still consumes it (STATUS.CMDQ_EN_OK).
     */
    public void reset()
    {
        if (isEnabled())
        {
            throw new IllegalStateException("vcmdq " + index + " is still enabled (STATUS.CMDQ_EN_OK=1)");
        }
        registers.putProdRelease(0);
        registers.putConsRelease(0);
        block.putLongRelease(VcmdqLayout.BASE, 0);
        block.putLongRelease(VcmdqLayout.CONS_INDX_BASE, 0);
        registers.putGerrornRelease(registers.getGerrorAcquire());
        memory = null;
    }

    void putStatusRelease(final int value)
    {
        block.putIntRelease(VcmdqLayout.STATUS, value);
    }

    /**
     * Collapses the register view so a stray access after the SMMU closed fails instead of touching
     * memory (the block itself is freed by the garbage collector).
     */
    @Override
    public void close()
    {
        registers.close();
    }

    @Override
    public String toString()
    {
        return "Vcmdq{" + index + ", status=" + status() + ", base=0x" + Long.toHexString(base()) + "}";
    }
}
