package dev.cmdq.bench.fuzz;

import java.util.Locale;

/**
 * Counts of one fuzzing run: predicted outcome per queue kind, commands per flavour and corruption,
 * recoveries, failures per check, and the first {@value #MAX_SAMPLES} failures with their words. Recording
 * allocates nothing (fixed arrays); {@link #toText()} ends with {@code N passed, M failed}, {@link #toJson()}
 * holds the same data.
 */
public final class FuzzReport
{
    /** Failures kept with their words. */
    public static final int MAX_SAMPLES = 20;

    private final long seed;
    private final long commandsRequested;
    private final int randomWeight;
    private final int validWeight;
    private final int corruptedWeight;
    private final FuzzContext context;
    private final long[][] predicted = new long[FuzzQueueKind.count()][FuzzOutcome.COUNT];
    private final long[] flavours = new long[FuzzFlavour.count()];
    private final long[] corruptions = new long[FuzzCorruption.count()];
    private final long[] checks = new long[FuzzCheck.count()];
    private final long[] recoveries = new long[FuzzQueueKind.count()];
    private final long[] sampleIndex = new long[MAX_SAMPLES];
    private final int[] sampleKind = new int[MAX_SAMPLES];
    private final int[] sampleFlavour = new int[MAX_SAMPLES];
    private final int[] sampleCorruption = new int[MAX_SAMPLES];
    private final long[] sampleDword0 = new long[MAX_SAMPLES];
    private final long[] sampleDword1 = new long[MAX_SAMPLES];
    private final int[] sampleVerdict = new int[MAX_SAMPLES];
    private final int[] sampleObserved = new int[MAX_SAMPLES];
    private final int[] sampleCheck = new int[MAX_SAMPLES];
    private final String[] sampleDetail = new String[MAX_SAMPLES];
    private int samples;
    private long passed;
    private long failed;

    /**
     * @param seed              the generator's seed.
     * @param commandsRequested commands the run was asked for.
     * @param randomWeight      weight of random words.
     * @param validWeight       weight of valid commands.
     * @param corruptedWeight   weight of corrupted commands.
     * @param context           the oracle's context.
     */
    public FuzzReport(
        final long seed,
        final long commandsRequested,
        final int randomWeight,
        final int validWeight,
        final int corruptedWeight,
        final FuzzContext context)
    {
        this.seed = seed;
        this.commandsRequested = commandsRequested;
        this.randomWeight = randomWeight;
        this.validWeight = validWeight;
        this.corruptedWeight = corruptedWeight;
        this.context = context;
    }

    /**
     * Counts one command.
     *
     * @param index      the command's number in the run (from 0).
     * @param kind       the queue it was fed into.
     * @param flavour    its flavour.
     * @param corruption its corruption.
     * @param dword0     its dw0.
     * @param dword1     its dw1.
     * @param verdict    the oracle's verdict ({@link FuzzVerdict}).
     * @param observed   the observed outcome, or -1 if none was (an exception).
     * @param check      the first check it failed, or {@link FuzzCheck#PASSED}.
     * @param detail     for a failure, a short explanation (e.g. the exception), else null.
     */
    public void record(
        final long index,
        final FuzzQueueKind kind,
        final FuzzFlavour flavour,
        final FuzzCorruption corruption,
        final long dword0,
        final long dword1,
        final int verdict,
        final int observed,
        final FuzzCheck check,
        final String detail)
    {
        predicted[kind.ordinal()][FuzzVerdict.outcome(verdict)]++;
        flavours[flavour.ordinal()]++;
        corruptions[corruption.ordinal()]++;
        checks[check.ordinal()]++;
        if (check == FuzzCheck.PASSED)
        {
            passed++;
            return;
        }
        failed++;
        if (samples < MAX_SAMPLES)
        {
            final int s = samples++;
            sampleIndex[s] = index;
            sampleKind[s] = kind.ordinal();
            sampleFlavour[s] = flavour.ordinal();
            sampleCorruption[s] = corruption.ordinal();
            sampleDword0[s] = dword0;
            sampleDword1[s] = dword1;
            sampleVerdict[s] = verdict;
            sampleObserved[s] = observed;
            sampleCheck[s] = check.ordinal();
            sampleDetail[s] = detail;
        }
    }

    /**
     * Counts a halted queue that resumed after repair and acknowledge.
     *
     * @param kind the queue.
     */
    public void recordRecovery(final FuzzQueueKind kind)
    {
        recoveries[kind.ordinal()]++;
    }

    /**
     * @return commands that passed every check.
     */
    public long passed()
    {
        return passed;
    }

    /**
     * @return commands that failed a check.
     */
    public long failed()
    {
        return failed;
    }

    /**
     * @param kind    a queue kind.
     * @param outcome a {@link FuzzOutcome}.
     * @return commands on that queue the oracle predicted that outcome for.
     */
    public long predicted(final FuzzQueueKind kind, final int outcome)
    {
        return predicted[kind.ordinal()][outcome];
    }

    /**
     * @param flavour a flavour.
     * @return commands of that flavour.
     */
    public long count(final FuzzFlavour flavour)
    {
        return flavours[flavour.ordinal()];
    }

    /**
     * @param corruption a corruption.
     * @return commands with it.
     */
    public long count(final FuzzCorruption corruption)
    {
        return corruptions[corruption.ordinal()];
    }

    /**
     * @param check a check.
     * @return commands whose first failed check it was ({@link FuzzCheck#PASSED}: those that passed).
     */
    public long count(final FuzzCheck check)
    {
        return checks[check.ordinal()];
    }

    /**
     * @param kind a queue kind.
     * @return halts of that queue that recovered.
     */
    public long recoveries(final FuzzQueueKind kind)
    {
        return recoveries[kind.ordinal()];
    }

    /**
     * @return failures kept with their words (at most {@value #MAX_SAMPLES}).
     */
    public int sampleCount()
    {
        return samples;
    }

    /**
     * @param i a sample index.
     * @return one line describing the i-th kept failure.
     */
    public String sample(final int i)
    {
        if (i < 0 || i >= samples)
        {
            throw new IndexOutOfBoundsException("sample " + i + " of " + samples);
        }
        return String.format(Locale.ROOT, "command %d %s %s/%s %016x:%016x expected %s observed %s: %s%s",
            sampleIndex[i], FuzzQueueKind.of(sampleKind[i]), FuzzFlavour.of(sampleFlavour[i]),
            FuzzCorruption.of(sampleCorruption[i]), sampleDword0[i], sampleDword1[i],
            FuzzVerdict.toString(sampleVerdict[i]), sampleObserved[i] < 0 ? "nothing" : FuzzOutcome.name(sampleObserved[i]),
            FuzzCheck.of(sampleCheck[i]), sampleDetail[i] == null ? "" : " (" + sampleDetail[i] + ")");
    }

    /**
     * @return the report for a terminal; the last line is {@code N passed, M failed}.
     */
    public String toText()
    {
        final StringBuilder b = new StringBuilder(2048);
        b.append(String.format(Locale.ROOT, "cmdq fuzz: seed=%d commands=%d weights random=%d valid=%d corrupted=%d%n",
            seed, commandsRequested, randomWeight, validWeight, corruptedWeight));
        b.append("context: ").append(context).append(System.lineSeparator());
        b.append("flavours:");
        for (final FuzzFlavour f : FuzzFlavour.values())
        {
            b.append(' ').append(f).append('=').append(flavours[f.ordinal()]);
        }
        b.append(System.lineSeparator()).append("corruptions:");
        for (final FuzzCorruption c : FuzzCorruption.values())
        {
            b.append(' ').append(c).append('=').append(corruptions[c.ordinal()]);
        }
        b.append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "%-22s", "predicted"));
        for (final FuzzQueueKind k : FuzzQueueKind.values())
        {
            b.append(String.format(Locale.ROOT, " %13s", k));
        }
        b.append(System.lineSeparator());
        for (int o = 0; o < FuzzOutcome.COUNT; o++)
        {
            b.append(String.format(Locale.ROOT, "  %-20s", FuzzOutcome.name(o)));
            for (final FuzzQueueKind k : FuzzQueueKind.values())
            {
                b.append(String.format(Locale.ROOT, " %13d", predicted[k.ordinal()][o]));
            }
            b.append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "  %-20s", "recovered halts"));
        for (final FuzzQueueKind k : FuzzQueueKind.values())
        {
            b.append(String.format(Locale.ROOT, " %13d", recoveries[k.ordinal()]));
        }
        b.append(System.lineSeparator()).append("checks:");
        for (final FuzzCheck c : FuzzCheck.values())
        {
            b.append(' ').append(c).append('=').append(checks[c.ordinal()]);
        }
        b.append(System.lineSeparator());
        for (int i = 0; i < samples; i++)
        {
            b.append("FAILED ").append(sample(i)).append(System.lineSeparator());
        }
        if (failed > samples)
        {
            b.append("(").append(failed - samples).append(" more failures not shown)").append(System.lineSeparator());
        }
        b.append(passed).append(" passed, ").append(failed).append(" failed");
        return b.toString();
    }

    /**
     * @return the same data as one JSON object.
     */
    public String toJson()
    {
        final StringBuilder b = new StringBuilder(2048);
        b.append("{\"seed\":").append(seed)
            .append(",\"commands\":").append(commandsRequested)
            .append(",\"weights\":{\"random\":").append(randomWeight)
            .append(",\"valid\":").append(validWeight)
            .append(",\"corrupted\":").append(corruptedWeight).append('}');
        b.append(",\"context\":{\"ownedVsids\":[");
        for (int i = 0; i < context.ownedCount(); i++)
        {
            b.append(i == 0 ? "" : ",").append(context.ownedVsid(i));
        }
        b.append("],\"strictReservedBits\":").append(context.strictReservedBits())
            .append(",\"unownedSidTrapped\":");
        string(b, FuzzOutcome.name(context.unownedSidTrapOutcome()));
        b.append("},\"flavours\":{");
        for (final FuzzFlavour f : FuzzFlavour.values())
        {
            member(b, f.ordinal(), f.name(), flavours[f.ordinal()]);
        }
        b.append("},\"corruptions\":{");
        for (final FuzzCorruption c : FuzzCorruption.values())
        {
            member(b, c.ordinal(), c.name(), corruptions[c.ordinal()]);
        }
        b.append("},\"predicted\":{");
        for (final FuzzQueueKind k : FuzzQueueKind.values())
        {
            b.append(k.ordinal() == 0 ? "" : ",");
            string(b, k.name());
            b.append(":{");
            for (int o = 0; o < FuzzOutcome.COUNT; o++)
            {
                member(b, o, FuzzOutcome.name(o), predicted[k.ordinal()][o]);
            }
            b.append('}');
        }
        b.append("},\"recoveries\":{");
        for (final FuzzQueueKind k : FuzzQueueKind.values())
        {
            member(b, k.ordinal(), k.name(), recoveries[k.ordinal()]);
        }
        b.append("},\"checks\":{");
        for (final FuzzCheck c : FuzzCheck.values())
        {
            member(b, c.ordinal(), c.name(), checks[c.ordinal()]);
        }
        b.append("},\"failures\":[");
        for (int i = 0; i < samples; i++)
        {
            b.append(i == 0 ? "" : ",").append("{\"command\":").append(sampleIndex[i]).append(",\"kind\":");
            string(b, FuzzQueueKind.of(sampleKind[i]).name());
            b.append(",\"flavour\":");
            string(b, FuzzFlavour.of(sampleFlavour[i]).name());
            b.append(",\"corruption\":");
            string(b, FuzzCorruption.of(sampleCorruption[i]).name());
            b.append(",\"dword0\":");
            string(b, String.format(Locale.ROOT, "0x%016x", sampleDword0[i]));
            b.append(",\"dword1\":");
            string(b, String.format(Locale.ROOT, "0x%016x", sampleDword1[i]));
            b.append(",\"expected\":");
            string(b, FuzzOutcome.name(FuzzVerdict.outcome(sampleVerdict[i])));
            b.append(",\"rule\":");
            string(b, OracleRule.name(FuzzVerdict.rule(sampleVerdict[i])));
            b.append(",\"observed\":");
            string(b, sampleObserved[i] < 0 ? "nothing" : FuzzOutcome.name(sampleObserved[i]));
            b.append(",\"check\":");
            string(b, FuzzCheck.of(sampleCheck[i]).name());
            b.append(",\"detail\":");
            if (sampleDetail[i] == null)
            {
                b.append("null");
            }
            else
            {
                string(b, sampleDetail[i]);
            }
            b.append('}');
        }
        b.append("],\"passed\":").append(passed).append(",\"failed\":").append(failed).append('}');
        return b.toString();
    }

    private static void member(final StringBuilder b, final int position, final String name, final long value)
    {
        b.append(position == 0 ? "" : ",");
        string(b, name);
        b.append(':').append(value);
    }

    /** Appends a JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7). */
    private static void string(final StringBuilder b, final String s)
    {
        b.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                b.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                b.append(c);
            }
        }
        b.append('"');
    }
}
