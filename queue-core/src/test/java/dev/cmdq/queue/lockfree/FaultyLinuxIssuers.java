package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssuerFactories;

/**
 * Factories of deliberately broken {@link LinuxCmdqIssuer}s (see {@link Fault}), for negative controls.
 */
public final class FaultyLinuxIssuers
{
    private FaultyLinuxIssuers()
    {
    }

    /**
     * @param fault          the breakage, by {@link Fault} name.
     * @param completionWait how sync callers wait.
     * @return a factory of issuers with that fault.
     */
    public static IssuerFactories.Named factory(final String fault, final CompletionWait completionWait)
    {
        final Fault f = Fault.valueOf(fault);
        return new IssuerFactories.Named("linux-" + f.name().toLowerCase() + "-" + completionWait.name().toLowerCase(),
            (m, r, c, w) -> new LinuxCmdqIssuer(m, r, c, completionWait, w, null, f));
    }
}
