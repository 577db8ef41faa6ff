package dev.cmdq.queue;

/**
 * Argument checks shared by this package's constructors, naming the argument they reject.
 */
final class Arguments
{
    private Arguments()
    {
    }

    static long timeout(final long timeoutNs)
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("timeoutNs=" + timeoutNs + " is negative");
        }
        return timeoutNs;
    }
}
