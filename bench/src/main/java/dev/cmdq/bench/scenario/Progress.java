package dev.cmdq.bench.scenario;

/**
 * Where a run reports how far it got: one task (a row on a path) at a time, in units the runner picks.
 */
public interface Progress
{
    /** Reports nothing. */
    Progress NONE = new Progress()
    {
        @Override
        public void begin(final String task, final long units)
        {
        }

        @Override
        public void advance(final long units)
        {
        }

        @Override
        public void end()
        {
        }
    };

    /**
     * @param task  what runs now.
     * @param units how many units it has.
     */
    void begin(String task, long units);

    /**
     * @param units units done since the last call.
     */
    void advance(long units);

    /**
     * The task finished.
     */
    void end();
}
