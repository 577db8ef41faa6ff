package dev.cmdq.bench.scenario;

/**
 * The three ways a guest's invalidations reach hardware that {@code cmdq compare} puts side by side.
 */
public enum PathKind
{
    /** Trap and emulate, one IOMMU_HWPT_INVALIDATE per command: upstream QEMU (vcmdq-viommu.md §5.1). */
    TRAPPED_PER_COMMAND("trapped/per-cmd", true),
    /** Trap and emulate, forwarded commands gathered until the guest's CMD_SYNC: one call per batch. */
    TRAPPED_BATCHED("trapped/batched", true),
    /** VCMDQ mapped into the guest: nothing traps, the CMDQV substitutes VMID and SID. */
    VCMDQ("vcmdq", false);

    private final String label;
    private final boolean trapped;

    PathKind(final String label, final boolean trapped)
    {
        this.label = label;
        this.trapped = trapped;
    }

    /**
     * @return the short name used in tables, JSON and the chart.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return true when every register access exits into the VMM and takes the vSMMU's lock.
     */
    public boolean trapped()
    {
        return trapped;
    }
}
