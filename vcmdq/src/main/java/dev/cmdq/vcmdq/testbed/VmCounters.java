package dev.cmdq.vcmdq.testbed;

/**
 * A snapshot of one VM's counters, summed over its vSMMUs and vCPUs, for reports. Counts run from the
 * VM's creation, set-up included (programming a vSMMU's CMDQ exits too): report differences between two
 * snapshots. Each value is read with an acquire load while traffic may run, so a snapshot may straddle
 * an operation.
 *
 * @param exits              VM exits into the vSMMUs (every trapped register access).
 * @param invalidateCalls    IOMMU_HWPT_INVALIDATE calls the VMM made.
 * @param trappedCommands    commands the trap handlers consumed from emulated CMDQs (CMD_SYNCs included).
 * @param trappedErrors      CERRORs the trap handlers raised.
 * @param guestCommands      commands the guest's vCPUs inserted through {@code unmap}, syncs excluded.
 * @param guestSyncs         syncs those vCPUs inserted and saw complete.
 * @param guestFailures      insertions or waits of those vCPUs that failed.
 */
public record VmCounters(
    long exits, long invalidateCalls, long trappedCommands, long trappedErrors, long guestCommands, long guestSyncs,
    long guestFailures)
{
}
