package dev.cmdq.vcmdq.hw;

/**
 * The CMDQV's single error interrupt (vcmdq-viommu.md §1.9 step 1), as the host's interrupt handler
 * receives it: the engine calls it after it has set the error-map bits of a VCMDQ that halted, so the
 * handler can read VI_ERR_MAP and the VINTF's LVCMDQ_ERR_MAP and find them set.
 *
 * <p>Called on the engine's thread, on the error path only (never for a queue that runs without error);
 * an implementation must not block on the engine.
 */
@FunctionalInterface
public interface CmdqvErrorListener
{
    /** Ignores every interrupt. */
    CmdqvErrorListener NONE = (vintf, lvcmdq, vcmdq) -> { };

    /**
     * @param vintf  the VINTF whose logical VCMDQ halted.
     * @param lvcmdq the logical index of the queue in that VINTF.
     * @param vcmdq  the queue's global index.
     */
    void onVcmdqError(int vintf, int lvcmdq, int vcmdq);
}
