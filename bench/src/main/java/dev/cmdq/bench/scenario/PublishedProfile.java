package dev.cmdq.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "published" cost profile: four modelled costs derived from exactly two published rows, 4 KiB x 1
 * thread and 256 KiB x 1 thread, and nothing else; the model is then run for the other eight rows.
 *
 * <p><b>Derivation.</b> With one guest thread nothing is contended, so the simulated latency of an unmap
 * on a path is (package doc) {@code cpu + guestUnmapNs + hw * hwCmdNs + exits * vmExitNs + syscalls *
 * syscallNs}, where {@code cpu} (median measured CPU time) and the counts per unmap {@code hw, exits,
 * syscalls} come from a calibration run of the model itself with every cost 0. The two rows give four
 * published latencies (trapped and VCMDQ each), hence four linear equations:
 * <pre>
 *   [ 1  hw(V,4K)    0           0           ] [guestUnmapNs]   [ VCMDQ(4K)    - cpu(V,4K)   ]
 *   [ 1  hw(V,256K)  0           0           ] [hwCmdNs     ] = [ VCMDQ(256K)  - cpu(V,256K) ]
 *   [ 1  hw(T,4K)    exits(T,4K) sys(T,4K)   ] [vmExitNs    ]   [ trapped(4K)  - cpu(T,4K)   ]
 *   [ 1  hw(T,256K)  exits(T,256K) sys(T,256K)] [syscallNs   ]   [ trapped(256K)- cpu(T,256K) ]
 * </pre>
 * (V = VCMDQ, T = trapped with per-command forwarding), solved exactly by {@link LinearSystem}. No
 * parameter is tuned per row. A negative solution means the model cannot explain the two rows and is
 * an error, not a profile.
 */
public final class PublishedProfile
{
    /** The profile's name. */
    public static final String NAME = "published";
    /** The first calibration row's buffer size. */
    public static final long SMALL = 0x1000;
    /** The second calibration row's buffer size. */
    public static final long LARGE = 0x4_0000;
    /** The path the published "trapped" column is taken to be. */
    public static final PathKind TRAPPED = PathKind.TRAPPED_PER_COMMAND;

    /** What the published experiment does not say and the profile assumes. */
    public static final List<String> ASSUMPTIONS = List.of(
        "guest page size 4 KiB; each buffer mapped with 4 KiB pages and unmapped in strict mode (one leaf range invalidation per unmap)",
        "range invalidation (RIL) and ATS as the run's --range-inv/--ats options say (defaults: both off)",
        "unmap work other than invalidation (page-table clear, IOVA free, benchmark loop) is one constant guestUnmapNs per unmap",
        "the 'trapped' column used per-command forwarding (upstream QEMU), one IOMMU_HWPT_INVALIDATE per command",
        "one SMMU engine executes every queue's commands serially at hwCmdNs each, syncs included",
        "one emulated vSMMU whose lock serialises every trap of the VM (QEMU's big lock)",
        "derived from the rows 4K x 1 and 256K x 1 only; the other eight rows are predictions");

    private PublishedProfile()
    {
    }

    /**
     * What a zero-cost calibration run measured for one path and row.
     *
     * @param cpuNs      median measured CPU time per unmap.
     * @param exits      VM exits per unmap.
     * @param syscalls   syscalls per unmap.
     * @param hwCommands commands the SMMU executed per unmap.
     */
    public record Calibration(double cpuNs, double exits, double syscalls, double hwCommands)
    {
        /**
         * @param result a zero-cost, one-thread result.
         * @return its calibration facts.
         */
        public static Calibration of(final PathResult result)
        {
            return new Calibration(result.cpuMedianNs(), result.perUnmap(PathCounts.EXITS),
                result.perUnmap(PathCounts.SYSCALLS), result.perUnmap(PathCounts.HW_COMMANDS));
        }
    }

    /**
     * Solves the four equations of the class doc.
     *
     * @param vcmdqSmall   VCMDQ at 4 KiB x 1.
     * @param vcmdqLarge   VCMDQ at 256 KiB x 1.
     * @param trappedSmall trapped at 4 KiB x 1.
     * @param trappedLarge trapped at 256 KiB x 1.
     * @return the profile.
     * @throws IllegalStateException naming the parameter when a solution is negative or the system singular.
     */
    public static CostProfile derive(
        final Calibration vcmdqSmall, final Calibration vcmdqLarge, final Calibration trappedSmall, final Calibration trappedLarge)
    {
        final PublishedTable.Row small = PublishedTable.find(SMALL, 1);
        final PublishedTable.Row large = PublishedTable.find(LARGE, 1);
        final Calibration[] c = {vcmdqSmall, vcmdqLarge, trappedSmall, trappedLarge};
        final double[] published = {small.vcmdqUs(), large.vcmdqUs(), small.trappedUs(), large.trappedUs()};
        final double[][] a = new double[4][];
        final double[] b = new double[4];
        for (int i = 0; i < 4; i++)
        {
            a[i] = new double[] {1, c[i].hwCommands(), c[i].exits(), c[i].syscalls()};
            b[i] = published[i] * 1000.0 - c[i].cpuNs();
        }
        final double[] x;
        try
        {
            x = LinearSystem.solve(a, b);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalStateException("the two published rows do not determine the four costs: " + ex.getMessage(), ex);
        }
        final String[] names = {"guestUnmapNs", "hwCmdNs", "vmExitNs", "syscallNs"};
        for (int i = 0; i < 4; i++)
        {
            if (x[i] < 0)
            {
                throw new IllegalStateException(String.format(Locale.ROOT,
                    "derived %s=%.1f is negative: the model cannot explain rows 4K x 1 and 256K x 1 (calibration %s)",
                    names[i], x[i], List.of(c)));
            }
        }
        final String derivation = String.format(Locale.ROOT,
            "derived from 4K x 1 (trapped %.1f us, VCMDQ %.1f us) and 256K x 1 (trapped %.1f us, VCMDQ %.1f us) with " +
                "calibration per unmap [cpuNs, exits, syscalls, hwCommands]: VCMDQ 4K %s, VCMDQ 256K %s, trapped 4K %s, trapped 256K %s",
            small.trappedUs(), small.vcmdqUs(), large.trappedUs(), large.vcmdqUs(),
            text(vcmdqSmall), text(vcmdqLarge), text(trappedSmall), text(trappedLarge));
        final List<String> assumptions = new ArrayList<>(ASSUMPTIONS);
        assumptions.add(derivation);
        return new CostProfile(NAME, x[2], x[3], x[1], x[0], assumptions);
    }

    /**
     * The latency the one-thread model gives for a calibration under a profile (the left side of the
     * class doc's equations), for checks.
     *
     * @param c       a calibration.
     * @param profile a profile.
     * @return predicted latency in microseconds.
     */
    public static double predictedUs(final Calibration c, final CostProfile profile)
    {
        return (c.cpuNs() + profile.guestUnmapNs() + c.hwCommands() * profile.hwCmdNs() + c.exits() * profile.vmExitNs() +
            c.syscalls() * profile.syscallNs()) / 1000.0;
    }

    /**
     * @param base the run's settings.
     * @return the calibration run: rows 4K and 256K, one thread, VCMDQ and trapped per-command, every cost 0.
     */
    public static CompareSettings calibrationSettings(final CompareSettings base)
    {
        return base.withRows(List.of(SMALL, LARGE), List.of(1), List.of(TRAPPED, PathKind.VCMDQ)).withCosts(CostProfile.ZERO);
    }

    /**
     * @param calibration the rows of {@link #calibrationSettings}'s run.
     * @return the derived profile.
     */
    public static CostProfile derive(final List<CompareRow> calibration)
    {
        CompareRow small = null;
        CompareRow large = null;
        for (final CompareRow row : calibration)
        {
            if (row.workload().threads() == 1 && row.workload().bufferBytes() == SMALL)
            {
                small = row;
            }
            else if (row.workload().threads() == 1 && row.workload().bufferBytes() == LARGE)
            {
                large = row;
            }
        }
        if (small == null || large == null || small.result(TRAPPED) == null || small.result(PathKind.VCMDQ) == null ||
            large.result(TRAPPED) == null || large.result(PathKind.VCMDQ) == null)
        {
            throw new IllegalArgumentException("calibration lacks 4K x 1 or 256K x 1 on " + TRAPPED + " and VCMDQ");
        }
        return derive(Calibration.of(small.result(PathKind.VCMDQ)), Calibration.of(large.result(PathKind.VCMDQ)),
            Calibration.of(small.result(TRAPPED)), Calibration.of(large.result(TRAPPED)));
    }

    private static String text(final Calibration c)
    {
        return String.format(Locale.ROOT, "[%.0f, %.2f, %.2f, %.2f]", c.cpuNs(), c.exits(), c.syscalls(), c.hwCommands());
    }
}
