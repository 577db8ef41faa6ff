package dev.cmdq.bench.scenario;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@link Progress} on a terminal: one line rewritten in place ({@code \r}) at most every 100 ms, with
 * the task, its percentage and the tasks done of the whole run; when the stream is not a terminal, one
 * plain line per finished task instead, so logs stay readable.
 */
public final class ProgressLine implements Progress
{
    private static final long REFRESH_NS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final int tasks;
    private int done;
    private String task = "";
    private long units;
    private long reached;
    private long lastPrint;
    private long taskStart;

    /**
     * @param out      where to print (stderr).
     * @param terminal true to rewrite one line in place.
     * @param tasks    tasks of the whole run.
     */
    public ProgressLine(final PrintStream out, final boolean terminal, final int tasks)
    {
        this.out = out;
        this.terminal = terminal;
        this.tasks = tasks;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void begin(final String task, final long units)
    {
        this.task = task;
        this.units = Math.max(1, units);
        this.reached = 0;
        this.taskStart = System.nanoTime();
        print(true);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void advance(final long units)
    {
        reached += units;
        print(false);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void end()
    {
        done++;
        reached = units;
        if (terminal)
        {
            print(true);
            if (done == tasks)
            {
                out.println();
            }
        }
        else
        {
            out.printf(Locale.ROOT, "[%d/%d] %s done in %.1f s%n", done, tasks, task, (System.nanoTime() - taskStart) / 1e9);
        }
        out.flush();
    }

    private void print(final boolean force)
    {
        if (!terminal)
        {
            return;
        }
        final long now = System.nanoTime();
        if (!force && now - lastPrint < REFRESH_NS)
        {
            return;
        }
        lastPrint = now;
        out.printf(Locale.ROOT, "\r[%d/%d] %-40s %3d%%", Math.min(done + 1, tasks), tasks, task, reached * 100 / units);
        out.flush();
    }
}
