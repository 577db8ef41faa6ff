package dev.cmdq.queue;

import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * Software's answer to GERROR for one command queue: Linux's {@code arm_smmu_gerror_handler} restricted
 * to the command queue, with {@code __arm_smmu_cmdq_skip_err} (smmuv3-cmdq.md §1.4, §1.5).
 *
 * <pre>
 *  gerror, gerrorn := GERROR, GERRORN           (acquire)
 *  active := gerror ^ gerrorn                   none active -> NO_ERROR, nothing written
 *  if active has CMDQ_ERR:
 *      code := CONS.ERR
 *      NONE, ABT, ATC_INV_SYNC -> leave the slot: the device retries the entry at CONS
 *      ILL (and any other code)  -> overwrite the slot at CONS with a completion entry (no write-back)
 *  GERRORN := gerror                            (release: acknowledges every active error, and orders
 *                                                the slot repair before the device's restart)
 * </pre>
 *
 * Codes other than ABT, ATC_INV_SYNC and NONE are treated as ILL, as Linux's {@code default:} branch
 * does; this includes the Tegra241 ILL_ACCESS.
 *
 * <p>A repaired write-back completion loses its write-back (Linux's rewrite is a plain CMD_SYNC too);
 * its waiter finds out from CONS ({@link SingleWriterProducer#awaitCompletion}).
 *
 * <p>One thread runs the recovery of a queue at a time (the GERROR interrupt handler). It writes only
 * the slot at CONS, which the device has stopped on and no producer may touch (it is published and not
 * consumed), so it can run concurrently with producers.
 */
public final class CommandErrorRecovery
{
    /** {@link #recover()} result when CMDQ_ERR was not active. */
    public static final int NO_ERROR = -1;

    private final AtomicBuffer buffer;
    private final QueueRegisters registers;
    private final CompletionEntry completion;
    private final int indexMask;
    private int lastActive;

    /**
     * @param memory     the ring (not retained: the recovery owns no lifetime, its user does).
     * @param registers  the queue's registers.
     * @param completion writes the entry that replaces an illegal one.
     */
    public CommandErrorRecovery(
        final RingMemory memory, final QueueRegisters registers, final CompletionEntry completion)
    {
        this.buffer = Objects.requireNonNull(memory, "memory").buffer();
        this.registers = Objects.requireNonNull(registers, "registers");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.indexMask = QueueIndex.indexMask(memory.log2Size());
    }

    /**
     * Handles the active global errors once.
     *
     * @return the CERROR code found in CONS.ERR when CMDQ_ERR was active (so callers can count what they
     *         repaired), or {@link #NO_ERROR}. Other active errors are acknowledged too; see
     *         {@link #lastActive()}.
     */
    public int recover()
    {
        final int gerror = registers.getGerrorAcquire();
        final int active = GlobalError.active(gerror, registers.getGerrornAcquire());
        lastActive = active;
        if (active == 0)
        {
            return NO_ERROR;
        }

        int code = NO_ERROR;
        if ((active & GlobalError.CMDQ_ERR) != 0)
        {
            code = skip();
        }
        registers.putGerrornRelease(gerror);
        return code;
    }

    /**
     * @return the active GERROR bits the last {@link #recover()} found (and acknowledged).
     */
    public int lastActive()
    {
        return lastActive;
    }

    private int skip()
    {
        final int cons = registers.getConsAcquire();
        final int code = ConsRegister.err(cons);
        switch (code)
        {
            case CommandError.NONE:
            case CommandError.ABT:
            case CommandError.ATC_INV_SYNC:
                return code;

            default:
                completion.write(buffer, (cons & indexMask) << RingMemory.ENTRY_SHIFT, CompletionEntry.NO_WRITE_BACK);
                return code;
        }
    }
}
