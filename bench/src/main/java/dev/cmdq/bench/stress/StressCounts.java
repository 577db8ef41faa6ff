package dev.cmdq.bench.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counts of a stress run, shared by the workers (one {@link AtomicLongArray} slot per count), and the
 * first violations in words. A violation is a broken check; every check that ran is counted as passed or
 * as a violation.
 */
public final class StressCounts
{
    /** Guest commands issued (CMD_SYNCs excluded). */
    public static final int COMMANDS = 0;
    /** Guest CMD_SYNCs completed. */
    public static final int SYNCS = 1;
    /** VM exits (traps) of every VM, summed at its teardown or the end. */
    public static final int TRAPS = 2;
    /** Deliberately bad commands (queue halted, then repaired). */
    public static final int INJECTED_FAULTS = 3;
    /** Checks that held. */
    public static final int CHECKS_PASSED = 4;
    /** Checks that broke. */
    public static final int VIOLATIONS = 5;
    /** Devices hot-plugged (after the initial ones). */
    public static final int HOT_PLUGS = 6;
    /** Devices hot-unplugged. */
    public static final int HOT_UNPLUGS = 7;
    /** VMs created (the initial ones included). */
    public static final int VMS_CREATED = 8;
    /** VMs torn down. */
    public static final int VMS_DESTROYED = 9;
    /** TLB and ATC entries planted. */
    public static final int ENTRIES_PLANTED = 10;
    /** Worker steps. */
    public static final int STEPS = 11;
    /**
     * Guest commands the exactly-once check settled: executed for their owner (VMID or pSID, counted at
     * execution) exactly as often as the VM issued them OK, compared when the owner was released.
     */
    public static final int SETTLED_COMMANDS = 12;
    /** Owners (a VM's VMID, a device's pSID) whose books were compared at release. */
    public static final int SETTLED_OWNERS = 13;
    /** Owners released uncompared because one of the VM's issues had failed (itself a violation). */
    public static final int UNSETTLED_OWNERS = 14;
    /** Number of counts. */
    public static final int COUNT = 15;

    private static final String[] NAMES =
    {
        "commands", "syncs", "traps", "injectedFaults", "checksPassed", "violations", "hotPlugs", "hotUnplugs",
        "vmsCreated", "vmsDestroyed", "entriesPlanted", "steps", "settledCommands", "settledOwners", "unsettledOwners",
    };
    /** Violations kept in words. */
    public static final int MAX_SAMPLES = 20;

    private final AtomicLongArray counts = new AtomicLongArray(COUNT);
    private final List<String> samples = new ArrayList<>();

    /**
     * @param count one of the constants.
     * @param delta how much to add.
     */
    public void add(final int count, final long delta)
    {
        counts.addAndGet(count, delta);
    }

    /**
     * Counts one check.
     *
     * @param held    whether it held.
     * @param what    what was checked (only built into a string when it broke: pass a cheap constant).
     * @param subject the VM or queue it concerns, for the message.
     * @return {@code held}.
     */
    public boolean check(final boolean held, final String what, final Object subject)
    {
        if (held)
        {
            counts.incrementAndGet(CHECKS_PASSED);
            return true;
        }
        counts.incrementAndGet(VIOLATIONS);
        synchronized (samples)
        {
            if (samples.size() < MAX_SAMPLES)
            {
                samples.add(what + ": " + subject);
            }
        }
        return false;
    }

    /**
     * @param count one of the constants.
     * @return its value.
     */
    public long get(final int count)
    {
        return counts.get(count);
    }

    /**
     * @param count one of the constants.
     * @return its report name.
     */
    public static String name(final int count)
    {
        return NAMES[count];
    }

    /**
     * @return the recorded violations, first ones first.
     */
    public List<String> samples()
    {
        synchronized (samples)
        {
            return new ArrayList<>(samples);
        }
    }

    /**
     * @return every count by name, sorted.
     */
    public SortedMap<String, Long> toMap()
    {
        final SortedMap<String, Long> map = new TreeMap<>();
        for (int i = 0; i < COUNT; i++)
        {
            map.put(NAMES[i], counts.get(i));
        }
        return map;
    }
}
