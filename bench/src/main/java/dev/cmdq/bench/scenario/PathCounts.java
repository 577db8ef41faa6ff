package dev.cmdq.bench.scenario;

/**
 * Cumulative counters of one path, read after each step so that a runner can take per-unmap
 * differences without allocating: VM exits, hot-path syscalls (IOMMU_HWPT_INVALIDATE calls), host
 * CMD_SYNCs on the main CMDQ, guest commands and syncs inserted, and commands the hardware executed.
 * A plain mutable holder; one per reader thread.
 */
public final class PathCounts
{
    /** Number of counters. */
    public static final int SIZE = 6;
    /** VM exits (every guest access to an emulated register). */
    public static final int EXITS = 0;
    /** Hot-path syscalls. */
    public static final int SYSCALLS = 1;
    /** CMD_SYNCs the host put on a main CMDQ. */
    public static final int HOST_SYNCS = 2;
    /** Commands the guest inserted, syncs not included. */
    public static final int GUEST_COMMANDS = 3;
    /** CMD_SYNCs the guest inserted. */
    public static final int GUEST_SYNCS = 4;
    /** Commands the SMMU executed, syncs included (what hardware time per command is charged on). */
    public static final int HW_COMMANDS = 5;

    private static final String[] NAMES = {"exits", "syscalls", "hostSyncs", "guestCommands", "guestSyncs", "hwCommands"};

    private final long[] values = new long[SIZE];

    /**
     * @param counter one of the constants of this class.
     * @return its name in reports.
     */
    public static String name(final int counter)
    {
        return NAMES[counter];
    }

    /**
     * @param counter one of the constants of this class.
     * @return its value.
     */
    public long get(final int counter)
    {
        return values[counter];
    }

    /**
     * @param counter one of the constants of this class.
     * @param value   its new value.
     */
    public void set(final int counter, final long value)
    {
        values[counter] = value;
    }

    /**
     * Copies every counter of {@code other}.
     *
     * @param other the source.
     */
    public void copyFrom(final PathCounts other)
    {
        System.arraycopy(other.values, 0, values, 0, SIZE);
    }

    /**
     * @param counter one of the constants of this class.
     * @param earlier an earlier reading of the same path.
     * @return this reading's value minus the earlier one's.
     */
    public long since(final int counter, final PathCounts earlier)
    {
        return values[counter] - earlier.values[counter];
    }
}
