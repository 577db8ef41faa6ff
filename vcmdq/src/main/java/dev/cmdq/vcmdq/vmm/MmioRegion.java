package dev.cmdq.vcmdq.vmm;

/**
 * One emulated MMIO region of a vSMMU — the SMMU register pages ({@link SmmuRegisterPage}), the
 * trapped CMDQV pages ({@link CmdqvRegion}) — that {@link Vsmmu} dispatches exits to by address.
 * Called only under the vSMMU's lock. Must never throw at the guest: an offset or width it does not implement reads as zero
 * and ignores writes (and counts them).
 */
public interface MmioRegion
{
    /**
     * @param offset byte offset inside the region.
     * @param width  access size in bytes (4 or 8; anything else is RAZ/WI).
     * @return the value read, zero-extended.
     */
    long read(int offset, int width);

    /**
     * @param offset byte offset inside the region.
     * @param value  the value written (low {@code width} bytes).
     * @param width  access size in bytes.
     */
    void write(int offset, long value, int width);
}
