package dev.cmdq.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.Locale;

/**
 * Reads JMH results by benchmark method and parameter, for the ratio tables the command line prints.
 */
public final class ResultTable
{
    private final Collection<RunResult> results;

    /**
     * @param results one run's results.
     */
    public ResultTable(final Collection<RunResult> results)
    {
        this.results = results;
    }

    /**
     * @param method     benchmark method (or group) name, the last segment of the benchmark name.
     * @param paramName  a parameter to match, or null.
     * @param paramValue its value.
     * @return the result, or null if the run has none.
     */
    public RunResult find(final String method, final String paramName, final String paramValue)
    {
        for (final RunResult r : results)
        {
            final String name = r.getParams().getBenchmark();
            if (!name.endsWith("." + method))
            {
                continue;
            }
            if (paramName != null && !paramValue.equals(r.getParams().getParam(paramName)))
            {
                continue;
            }
            return r;
        }
        return null;
    }

    /**
     * @param r a result, or null.
     * @return its primary score, NaN if absent.
     */
    public static double score(final RunResult r)
    {
        return r == null ? Double.NaN : r.getPrimaryResult().getScore();
    }

    /**
     * @param r a result, or null.
     * @return the half-width of its primary score's confidence interval, NaN if absent.
     */
    public static double error(final RunResult r)
    {
        return r == null ? Double.NaN : r.getPrimaryResult().getScoreError();
    }

    /**
     * @param r     a result, or null.
     * @param label a secondary result label ("gc.alloc.rate.norm", an aux counter name).
     * @return its score, NaN if absent.
     */
    public static double secondary(final RunResult r, final String label)
    {
        if (r == null)
        {
            return Double.NaN;
        }
        final Result<?> s = r.getSecondaryResults().get(label);
        return s == null ? Double.NaN : s.getScore();
    }

    /**
     * @param value a number.
     * @param digits decimals.
     * @return the number formatted, or "-" for NaN.
     */
    public static String format(final double value, final int digits)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
