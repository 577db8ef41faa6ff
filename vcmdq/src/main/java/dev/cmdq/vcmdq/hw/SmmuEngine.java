package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.QueueConsumer;
import org.agrona.concurrent.Agent;

/**
 * The consumer of every queue of one physical SMMU, as one Agrona {@link Agent}: each duty cycle
 * follows the VCMDQ enables, then gives each queue one turn of at most {@code quantum} entries
 * ({@link HardwarePolicy}, {@code arbitration}):
 * <pre>
 *  doWork():
 *    for each VCMDQ: follow CONFIG.CMDQ_EN (start / stop consuming, STATUS.CMDQ_EN_OK)
 *    turn order: main CMDQ, VCMDQ 0, VCMDQ 1, ... starting at `next`
 *    for each queue in that order: drain(quantum)       (disabled / halted queues take no entries)
 *    next := next + 1 (mod queues), if the policy rotates
 *    main CMDQ halted since the last cycle -> GERROR interrupt ({@link GerrorListener})
 * </pre>
 * So a queue that is not empty is served in every duty cycle, and between two of its turns every other
 * queue takes at most {@code quantum} entries: a flooded queue cannot starve another. Entries of one
 * queue execute in queue order (one {@link QueueConsumer} per queue); an error halts only the queue it
 * happened on.
 *
 * <p>The same agent runs in both modes of {@link PhysicalSmmu}: inline (an {@code AgentInvoker} on the
 * caller's thread) and threaded (an {@code AgentRunner}); never on two threads at once. A warm duty
 * cycle allocates nothing.
 */
public final class SmmuEngine implements Agent
{
    private final int smmuId;
    private final QueueConsumer main;
    private final VcmdqPort[] ports;
    private final int quantum;
    private final boolean rotate;
    private final int queues;
    private int next;
    private long dutyCycles;
    private long mainHalts;
    private volatile GerrorListener gerrorListener = GerrorListener.NONE;

    SmmuEngine(final int smmuId, final QueueConsumer main, final VcmdqPort[] ports, final HardwarePolicy policy)
    {
        this.smmuId = smmuId;
        this.main = main;
        this.ports = ports;
        this.quantum = policy.quantum();
        this.rotate = policy.rotate();
        this.queues = 1 + ports.length;
    }

    /**
     * One duty cycle.
     *
     * @return entries consumed plus queue start/stop transitions (0 means idle).
     */
    @Override
    public int doWork()
    {
        final VcmdqPort[] ports = this.ports;
        int work = 0;
        for (final VcmdqPort port : ports)
        {
            work += port.poll();
        }
        final int start = next;
        int i = start;
        for (int turn = 0; turn < queues; turn++)
        {
            work += i == 0 ? main.drain(quantum) : ports[i - 1].drain(quantum);
            i = i + 1 == queues ? 0 : i + 1;
        }
        if (rotate)
        {
            next = start + 1 == queues ? 0 : start + 1;
        }
        dutyCycles++;
        final long halts = main.halts();
        if (halts != mainHalts)
        {
            // One interrupt per halt (a repaired entry that fails again halts, and interrupts, again).
            mainHalts = halts;
            gerrorListener.onMainCmdqError(smmuId);
        }
        return work;
    }

    /**
     * @param listener the host's handler of the main CMDQ's GERROR interrupt, or null for none.
     */
    void gerrorListener(final GerrorListener listener)
    {
        gerrorListener = listener == null ? GerrorListener.NONE : listener;
    }

    /**
     * @return duty cycles run.
     */
    public long dutyCycles()
    {
        return dutyCycles;
    }

    /**
     * @return the main CMDQ's consumer (its counters and halt state).
     */
    public QueueConsumer mainConsumer()
    {
        return main;
    }

    /**
     * @return {@code smmu-engine-<id>}, the agent thread's name.
     */
    @Override
    public String roleName()
    {
        return "smmu-engine-" + smmuId;
    }

    /**
     * Stops consuming every queue and releases their rings.
     */
    @Override
    public void onClose()
    {
        for (final VcmdqPort port : ports)
        {
            port.close();
        }
        main.close();
    }
}
