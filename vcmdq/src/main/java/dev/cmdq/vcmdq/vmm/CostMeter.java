package dev.cmdq.vcmdq.vmm;

/**
 * The one place that charges {@link ModelledCosts}: every VM exit and every hot-path syscall of the
 * trapped path calls {@link #charge} where it occurs. Implementations decide what a charge means: burn
 * the nanoseconds on the calling thread ({@link BusyWaitCostMeter}, "real" mode), or add them to the
 * calling actor's virtual clock ({@link VirtualClockCostMeter}, simulated time). Either way each charge
 * is counted per kind.
 *
 * <p>Thread-safe: vCPU threads charge exits concurrently. {@link #charge} allocates nothing.
 */
public interface CostMeter
{
    /**
     * Charges one occurrence of {@code kind}.
     *
     * @param kind what occurred.
     */
    void charge(CostKind kind);

    /**
     * @param kind a cost kind.
     * @return occurrences charged so far.
     */
    long count(CostKind kind);

    /**
     * @return the costs charged per occurrence.
     */
    ModelledCosts costs();
}
