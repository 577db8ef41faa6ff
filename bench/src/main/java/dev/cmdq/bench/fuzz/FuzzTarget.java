package dev.cmdq.bench.fuzz;

/**
 * The system the fuzzer drives, as {@link FuzzSession} sees it: one queue of each {@link FuzzQueueKind},
 * fed through the real producers and consumed by the real engine or trap handler. An implementation glues
 * this to the hardware model and the VMM; the fuzz package itself knows nothing of them.
 */
public interface FuzzTarget
{
    /**
     * Puts one command on the queue of {@code kind}, lets the consumer run until it has consumed it or
     * halted on it, and reports what happened. Must not be called on a halted queue.
     *
     * @param kind   the queue.
     * @param dword0 the command's dw0 (written to the ring little-endian).
     * @param dword1 its dw1.
     * @return the observed {@link FuzzOutcome}: on a device queue the CONS.ERR code ({@link FuzzOutcome#NONE}
     *         if it was executed); on the trapped queue the trap handler's action, or the CERROR it reported.
     */
    int submit(FuzzQueueKind kind, long dword0, long dword1);

    /**
     * Repairs the queue halted on the last command as Linux does (an illegal entry is overwritten with a
     * CMD_SYNC, CS = NONE on VCMDQs) and acknowledges the error (GERRORN := GERROR), so the consumer
     * resumes at CONS.
     *
     * @param kind the halted queue.
     * @return true when the queue consumes again.
     */
    boolean repairAndAcknowledge(FuzzQueueKind kind);

    /**
     * @param kind a queue.
     * @return how many commands given to {@link #submit} on that queue were executed (effects applied,
     *         trap action taken); the CMD_SYNC a repair writes over a bad entry does not count.
     */
    long executed(FuzzQueueKind kind);
}
