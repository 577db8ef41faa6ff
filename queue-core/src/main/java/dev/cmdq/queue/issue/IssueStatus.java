package dev.cmdq.queue.issue;

/**
 * Result codes of {@link CommandIssuer#issue}: plain ints so the hot path never allocates.
 */
public final class IssueStatus
{
    /** Inserted (and, with sync, completed). */
    public static final int OK = 0;
    /** A bounded wait — for space or for completion — ran out. The queue stays usable. */
    public static final int TIMEOUT = -1;
    /** The issuer was closed before or while the call waited. */
    public static final int CLOSED = -2;
    /** The device reported a command error that software could not repair for this call. */
    public static final int COMMAND_ERROR = -3;
    /**
     * A bounded wait inside the critical steps of an insertion ran out — for Linux's algorithm: a
     * previous owner never handed over {@code owner_prod}, or slots reserved by another caller were never
     * marked valid — so entries reserved by callers may never reach the device. The issuer can no longer
     * be trusted and answers every later call with this code.
     */
    public static final int BROKEN = -4;

    private IssueStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its name, for reports.
     */
    public static String name(final int status)
    {
        switch (status)
        {
            case OK: return "OK";
            case TIMEOUT: return "TIMEOUT";
            case CLOSED: return "CLOSED";
            case COMMAND_ERROR: return "COMMAND_ERROR";
            case BROKEN: return "BROKEN";
            default: return "STATUS_" + status;
        }
    }
}
