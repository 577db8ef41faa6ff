package dev.cmdq.vcmdq.vmm;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.Objects;

/**
 * Agrona counters of one command queue (or, summed, of one vSMMU): commands consumed, CMD_SYNCs
 * completed, traps (VM exits on its registers), command errors raised, host timeouts. They live in the
 * {@link CountersManager}'s values buffer, so any thread (or another process mapping the buffers) reads
 * them while the VM runs, with {@link AtomicCounter#get()} or a {@code CountersReader}.
 *
 * <p>Writers: traps are counted by the exiting vCPU thread before it takes the vSMMU's lock, so
 * concurrently ({@link AtomicCounter#increment()}); the others only under the vSMMU's lock, one writer at
 * a time, with release stores.
 */
public final class QueueCounters
{
    /** Agrona type ID of these counters. */
    public static final int TYPE_ID = 0x7E01;

    private final AtomicCounter commands;
    private final AtomicCounter syncs;
    private final AtomicCounter traps;
    private final AtomicCounter errors;
    private final AtomicCounter timeouts;

    /**
     * Allocates the five counters, labelled {@code "<name> commands"} and so on.
     *
     * @param counters where they live.
     * @param name     the queue's name in labels, e.g. {@code "vsmmu0 cmdq"}.
     */
    public QueueCounters(final CountersManager counters, final String name)
    {
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(name, "name");
        commands = counters.newCounter(name + " commands", TYPE_ID);
        syncs = counters.newCounter(name + " syncs", TYPE_ID);
        traps = counters.newCounter(name + " traps", TYPE_ID);
        errors = counters.newCounter(name + " errors", TYPE_ID);
        timeouts = counters.newCounter(name + " timeouts", TYPE_ID);
    }

    /**
     * @return guest commands consumed (CONS moved past them), CMD_SYNCs included.
     */
    public AtomicCounter commands()
    {
        return commands;
    }

    /**
     * @return guest CMD_SYNCs completed.
     */
    public AtomicCounter syncs()
    {
        return syncs;
    }

    /**
     * @return VM exits: guest accesses to the queue's emulated registers.
     */
    public AtomicCounter traps()
    {
        return traps;
    }

    /**
     * @return command errors raised (CONS.ERR set, GERROR.CMDQ_ERR toggled).
     */
    public AtomicCounter errors()
    {
        return errors;
    }

    /**
     * @return host calls that failed because a host wait ran out ({@code -ETIMEDOUT}).
     */
    public AtomicCounter timeouts()
    {
        return timeouts;
    }
}
