package dev.cmdq.vcmdq.host;

import dev.cmdq.queue.CommandErrorRecovery;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.vcmdq.hw.GerrorListener;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The host kernel's GERROR interrupt handler for one physical SMMU's main CMDQ — Linux's
 * {@code arm_smmu_gerror_handler} with {@code __arm_smmu_cmdq_skip_err}: an illegal command is
 * overwritten with a CMD_SYNC, a fetch abort or an ATC invalidation timeout is left for the device to
 * retry, and GERRORN acknowledges, so the queue runs again.
 *
 * <p>Why the host needs it: the kernel's IOMMU_HWPT_INVALIDATE checks a guest entry's opcode and SID
 * only, as Linux does; a field the SMMU refuses (say a reserved range encoding) therefore reaches the
 * shared main CMDQ and halts it. Without this handler every later wait of every VM on that SMMU would
 * time out — one VM's bad command would stall the others. With it, the bad command is skipped (its
 * caller's sync completes, as on Linux) and nobody else notices.
 *
 * <p>Runs on the engine's thread between duty cycles ({@link GerrorListener}), one SMMU per instance.
 * {@link Iommufd#overHardware} connects one to every SMMU; a host built otherwise connects its own with
 * {@link PhysicalSmmu#gerrorListener}.
 */
public final class MainCmdqGerrorHandler implements GerrorListener
{
    private final CommandErrorRecovery recovery;
    private final AtomicLong repaired = new AtomicLong();

    /**
     * @param smmu the SMMU whose main CMDQ this handler repairs.
     */
    public MainCmdqGerrorHandler(final PhysicalSmmu smmu)
    {
        this.recovery = new CommandErrorRecovery(smmu.mainCmdqMemory(), smmu.mainCmdqRegisters(), CmdSyncCompletion.LINUX);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onMainCmdqError(final int smmuId)
    {
        if (recovery.recover() != CommandErrorRecovery.NO_ERROR)
        {
            repaired.incrementAndGet();
        }
    }

    /**
     * @return command errors repaired so far (any thread).
     */
    public long repaired()
    {
        return repaired.get();
    }
}
