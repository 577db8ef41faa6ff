package dev.cmdq.bench.fuzz;

/**
 * The four kinds of queue the fuzzer feeds. The first three are consumed by the hardware engine and
 * answer with a CERROR code; the fourth is the guest's emulated CMDQ, consumed by the VMM's trap handler,
 * which answers with a trap action or CERROR_ILL.
 */
public enum FuzzQueueKind
{
    /** The physical SMMU's main CMDQ: the full Non-secure command set (smmuv3-cmdq.md §2.1). */
    MAIN_CMDQ,
    /** A VCMDQ of a VINTF with HYP_OWN = 1 (the host's VINTF0): the full command set (vcmdq-viommu.md §1.5). */
    HOST_VCMDQ,
    /** A VCMDQ of a guest-owned VINTF (HYP_OWN = 0): the allow-list of vcmdq-viommu.md §2, SID_MATCH on ATC_INV. */
    GUEST_VCMDQ,
    /** The guest's CMDQ behind the trapping register front-end, consumed by QEMU's loop (smmuv3-cmdq.md §5.2). */
    TRAPPED_CMDQ;

    private static final FuzzQueueKind[] VALUES = values();

    /**
     * @param ordinal an ordinal of this enum.
     * @return the kind, from a cached array (no clone of {@code values()} per call).
     */
    public static FuzzQueueKind of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return the number of kinds, for count tables indexed by ordinal.
     */
    public static int count()
    {
        return VALUES.length;
    }

    /**
     * @return true when the hardware engine consumes this queue (the answer is a CERROR code).
     */
    public boolean isDeviceQueue()
    {
        return this != TRAPPED_CMDQ;
    }
}
