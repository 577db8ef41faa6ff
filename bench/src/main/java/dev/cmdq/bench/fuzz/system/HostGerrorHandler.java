package dev.cmdq.bench.fuzz.system;

import dev.cmdq.queue.CommandErrorRecovery;
import dev.cmdq.smmu.CmdSyncCompletion;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.agrona.concurrent.IdleStrategy;

/**
 * The host kernel's GERROR interrupt for one SMMU's main CMDQ, run where an inline host waits: each idle
 * first services a pending CMDQ_ERR as Linux's {@code arm_smmu_gerror_handler} does
 * ({@link CommandErrorRecovery}: an illegal entry becomes a CMD_SYNC, then GERRORN := GERROR), then runs
 * one duty cycle of the engine. The host model in {@code vcmdq.host} has no such handler of its own, so
 * without this a command the main CMDQ refuses would halt the host SMMU for every later waiter.
 *
 * <p>One instance per waiting thread (idle strategies carry state); the repair count is shared.
 */
final class HostGerrorHandler implements IdleStrategy
{
    private final PhysicalSmmu smmu;
    private final CommandErrorRecovery recovery;
    private final long[] repairs;

    /**
     * @param smmu     the host SMMU (inline mode).
     * @param recovery its main CMDQ's recovery.
     * @param repairs  a one-element counter of serviced CMDQ_ERRs.
     */
    HostGerrorHandler(final PhysicalSmmu smmu, final CommandErrorRecovery recovery, final long[] repairs)
    {
        this.smmu = smmu;
        this.recovery = recovery;
        this.repairs = repairs;
    }

    /**
     * @param smmu the host SMMU.
     * @return a recovery over its main CMDQ with Linux's completion entry.
     */
    static CommandErrorRecovery recoveryOf(final PhysicalSmmu smmu)
    {
        return new CommandErrorRecovery(smmu.mainCmdqMemory(), smmu.mainCmdqRegisters(), CmdSyncCompletion.LINUX);
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (recovery.recover() != CommandErrorRecovery.NO_ERROR)
        {
            repairs[0]++;
        }
        smmu.dutyCycle();
    }

    @Override
    public void reset()
    {
    }

    @Override
    public String alias()
    {
        return "host-gerror-inline";
    }
}
