package dev.cmdq.vcmdq.testbed;

/**
 * How the physical SMMUs' engines of a {@link Platform} run.
 */
public enum EngineMode
{
    /**
     * Each engine runs only when a waiting thread drives it: every host wait (CMD_SYNC, drain, disable),
     * every guest CONS poll and every set-up wait of the testbed idles by running one duty cycle of every
     * SMMU ({@code PhysicalSmmu.inlineIdleStrategy} semantics), on the waiting thread. Deterministic for
     * one thread; with several, the SMMU's try-lock keeps each engine on one thread at a time.
     */
    INLINE,
    /**
     * Each engine runs on its own thread (an Agrona {@code AgentRunner} with Linux-like back-off) until the
     * platform closes; waits back off with {@code WaitPolicy}'s default strategy.
     */
    THREADED
}
