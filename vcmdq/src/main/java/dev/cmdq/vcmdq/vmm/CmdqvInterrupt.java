package dev.cmdq.vcmdq.vmm;

/**
 * The emulated CMDQV's one interrupt line into the guest (QEMU's {@code qemu_irq_pulse}): pulsed when a
 * guest-VCMDQ error report arrives and VINTF0 is not masked in VI_INT_MASK (vcmdq-viommu.md §1.9 step 3).
 * Called from {@link Vsmmu#pollEvents()} under the vSMMU's lock; an implementation only signals (e.g.
 * wakes the guest's interrupt handler) and must not re-enter the vSMMU from the calling thread.
 */
@FunctionalInterface
public interface CmdqvInterrupt
{
    /** An edge on the line. */
    void pulse();
}
