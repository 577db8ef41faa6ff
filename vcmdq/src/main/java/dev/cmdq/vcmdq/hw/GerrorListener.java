package dev.cmdq.vcmdq.hw;

/**
 * The SMMU's global error interrupt for its main CMDQ (smmuv3-cmdq.md §1.5: GERROR.CMDQ_ERR toggled, the
 * GERROR interrupt raised), as the host's handler receives it: the engine calls it once per halt of the
 * main CMDQ, at the end of the duty cycle that halted it, when CONS.ERR and GERROR already say why.
 *
 * <p>Called on the engine's thread (inline: whichever thread drives the engine), between duty cycles,
 * on the error path only; the handler may repair the queue and acknowledge (GERRORN) — the engine
 * resumes on its next cycle — but must not wait for the engine.
 */
@FunctionalInterface
public interface GerrorListener
{
    /** Ignores every interrupt: the main CMDQ stays halted until someone acknowledges. */
    GerrorListener NONE = smmuId -> { };

    /**
     * @param smmuId the SMMU whose main CMDQ halted.
     */
    void onMainCmdqError(int smmuId);
}
