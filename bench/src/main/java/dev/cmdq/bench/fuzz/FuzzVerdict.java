package dev.cmdq.bench.fuzz;

/**
 * A verdict packs the predicted outcome and the rule that decided it into one int, so the oracle returns
 * both without allocating.
 *
 * <pre>
 *   bits 31..8  rule     (OracleRule)
 *   bits  7..0  outcome  (FuzzOutcome)
 * </pre>
 */
public final class FuzzVerdict
{
    private FuzzVerdict()
    {
    }

    /**
     * @param rule    an {@link OracleRule}.
     * @param outcome a {@link FuzzOutcome}.
     * @return the packed verdict.
     */
    public static int of(final int rule, final int outcome)
    {
        return rule << 8 | outcome;
    }

    /**
     * @param verdict a packed verdict.
     * @return its outcome.
     */
    public static int outcome(final int verdict)
    {
        return verdict & 0xFF;
    }

    /**
     * @param verdict a packed verdict.
     * @return its rule.
     */
    public static int rule(final int verdict)
    {
        return verdict >>> 8;
    }

    /**
     * @param verdict a packed verdict.
     * @return e.g. {@code CERROR_ILL (SSEC)}.
     */
    public static String toString(final int verdict)
    {
        return FuzzOutcome.name(outcome(verdict)) + " (" + OracleRule.name(rule(verdict)) + ")";
    }
}
