package dev.cmdq.bench.fuzz.system;

import java.nio.ByteOrder;

import dev.cmdq.bench.fuzz.FuzzSession;
import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.ConsRegister;
import dev.cmdq.queue.GlobalError;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.SingleWriterProducer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.hw.PhysicalSmmu;
import org.agrona.concurrent.AtomicBuffer;

/**
 * One queue the hardware engine consumes (main CMDQ or a VCMDQ), fed through the real
 * {@link SingleWriterProducer} and consumed by the real engine in inline mode: a submit writes one entry
 * in place, publishes PROD and runs duty cycles until CONS passed the entry or the queue halted on it.
 *
 * <pre>
 *   submit:  claim(1) -> 2 x putLong at slotOffset -> publish -> dutyCycle until
 *              CONS past the entry           -> NONE  (executed += caches' accepted delta)
 *              GERROR.CMDQ_ERR active        -> CONS.ERR (CONS stays on the entry)
 *   repair:  slot at CONS := CMD_SYNC (CS = NONE) -> GERRORN := GERROR -> dutyCycle until CONS past it
 * </pre>
 * The repair is Linux's {@code arm_smmu_cmdq_skip_err}: the bad entry is overwritten in the ring, then the
 * error acknowledged. Every loop is bounded by {@link #MAX_DUTY_CYCLES}; running out is a harness error
 * ({@link IllegalStateException}), which the session records as an escaped exception.
 */
final class DeviceQueueFeed implements AutoCloseable
{
    /** Duty cycles one entry may take: the engine round-robins few queues, each turn consumes one entry. */
    static final int MAX_DUTY_CYCLES = 64;

    private final String name;
    private final PhysicalSmmu smmu;
    private final QueueRegisters registers;
    private final SingleWriterProducer producer;
    private final AtomicBuffer ring;
    private final CountingExecution execution;
    private final int wrapIndexMask;
    private long executed;

    /**
     * @param name      for messages.
     * @param smmu      the SMMU whose engine consumes the queue (inline mode).
     * @param memory    the queue's ring.
     * @param registers its PROD/CONS/GERROR registers.
     * @param execution the SMMU's counting execution.
     * @param timeoutNs bound of the producer's waits.
     */
    DeviceQueueFeed(
        final String name,
        final PhysicalSmmu smmu,
        final RingMemory memory,
        final QueueRegisters registers,
        final CountingExecution execution,
        final long timeoutNs)
    {
        this.name = name;
        this.smmu = smmu;
        this.registers = registers;
        this.execution = execution;
        this.producer = new SingleWriterProducer(memory, registers, null, smmu.inlineIdleStrategy(), timeoutNs);
        this.ring = producer.buffer();
        this.wrapIndexMask = QueueIndex.wrapIndexMask(memory.log2Size());
    }

    /**
     * @param dword0 the command's dw0.
     * @param dword1 its dw1.
     * @return {@link CommandError#NONE} when consumed, else the CONS.ERR it halted with.
     */
    int submit(final long dword0, final long dword1)
    {
        final int prod = producer.claim(1);
        if (prod < 0)
        {
            throw new IllegalStateException(name + ": claim failed with " + IssueStatus.name(prod));
        }
        final int at = producer.slotOffset(prod);
        ring.putLong(at, dword0, ByteOrder.LITTLE_ENDIAN);
        ring.putLong(at + 8, dword1, ByteOrder.LITTLE_ENDIAN);
        producer.publish();
        final long before = execution.accepted();
        final int outcome = runUntilPast(prod);
        executed += execution.accepted() - before;
        return outcome;
    }

    /**
     * Overwrites the entry the queue halted on with a CMD_SYNC (CS = NONE), acknowledges and lets the
     * engine consume it. The sync itself is not a submitted command: the caches' accepted count over the
     * repair minus that one sync is added to {@link #executed()}, so a repair that re-ran earlier entries
     * shows up.
     *
     * @return true when the queue consumed the sync and is not in error.
     */
    boolean repairAndAcknowledge()
    {
        final int cons = registers.getConsAcquire() & wrapIndexMask;
        final int at = producer.slotOffset(cons);
        ring.putLong(at, FuzzSession.PROBE_DWORD0, ByteOrder.LITTLE_ENDIAN);
        ring.putLong(at + 8, FuzzSession.PROBE_DWORD1, ByteOrder.LITTLE_ENDIAN);
        registers.putGerrornRelease(registers.getGerrorAcquire());
        final long before = execution.accepted();
        final int outcome = runUntilPast(cons);
        final long delta = execution.accepted() - before;
        executed += delta - 1;
        return outcome == CommandError.NONE && delta >= 1;
    }

    /**
     * @return commands given to {@link #submit} that the caches accepted (see {@link #repairAndAcknowledge}).
     */
    long executed()
    {
        return executed;
    }

    private int runUntilPast(final int position)
    {
        final int next = (position + 1) & wrapIndexMask;
        for (int i = 0; i < MAX_DUTY_CYCLES; i++)
        {
            smmu.dutyCycle();
            final int cons = registers.getConsAcquire();
            if ((cons & wrapIndexMask) == next)
            {
                return CommandError.NONE;
            }
            if ((GlobalError.active(registers.getGerrorAcquire(), registers.getGerrornAcquire()) & GlobalError.CMDQ_ERR) != 0)
            {
                return ConsRegister.err(cons);
            }
        }
        throw new IllegalStateException(name + ": entry 0x" + Integer.toHexString(position) + " neither consumed nor halted on within "
            + MAX_DUTY_CYCLES + " duty cycles (CONS=0x" + Integer.toHexString(registers.getConsAcquire()) + ")");
    }

    @Override
    public void close()
    {
        producer.close();
    }
}
