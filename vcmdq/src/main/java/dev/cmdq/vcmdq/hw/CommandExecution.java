package dev.cmdq.vcmdq.hw;

/**
 * The seam between the engine and the model of an SMMU's caches: the engine hands every command it has
 * accepted — validated against its queue's allow-list and, on a guest-owned VCMDQ, with VMID and StreamID
 * already substituted — to this interface as its two words, in queue order. The words are a copy in
 * registers: an implementation can never modify the ring the command came from (guest memory).
 *
 * <p>Called on the engine's thread only (one caller at a time per SMMU), for every command including
 * CMD_SYNC, so an implementation can report CERROR_ATC_INV_SYNC on the sync that observes an ATC
 * invalidation timeout. Implementations must allocate nothing.
 */
@FunctionalInterface
public interface CommandExecution
{
    /**
     * Executes one command.
     *
     * @param dword0 the command's dword 0 (after substitution).
     * @param dword1 the command's dword 1.
     * @return {@link dev.cmdq.queue.CommandError#NONE}, or a CERROR code that halts the command's queue
     *         on it.
     */
    int execute(long dword0, long dword1);
}
