package dev.cmdq.vcmdq.testbed;

import dev.cmdq.smmu.CmdSyncLayout;
import dev.cmdq.smmu.Opcode;
import dev.cmdq.vcmdq.hw.CommandExecution;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The {@link CommandExecution} the testbed plugs into each physical SMMU: it forwards every command to
 * the SMMU's real execution (its caches) inside a gate, so a test or harness thread can fill and inspect
 * those caches between two commands while the engine runs — the caches are single-writer (the engine
 * thread), and this gate is what makes another thread's access a serialised one.
 *
 * <pre>
 *   engine thread:  execute(d0, d1) --cas holder null->engine--> target.execute --release holder-->
 *   other thread:   access(action)  --cas holder null->caller--> action.run      --release holder-->
 * </pre>
 *
 * The holder is a {@code compareAndSet} on an {@link AtomicReference} (acquire) and a {@code set} of
 * null (release), so everything one holder wrote is visible to the next. A thread that finds the gate
 * held yields ({@link Thread#yield()}): the other side's critical section is short and bounded — one
 * command, or one test's inserts and queries, which must not wait for the engine themselves: an action
 * that issues commands would wait for itself (threaded: until the wait bound; inline: the gate refuses
 * the re-entry with an exception, which the engine counts in {@code PhysicalSmmu.engineErrors()}).
 *
 * <p>It also counts what reached the SMMU's caches: commands, CMD_SYNCs, and the signalled CMD_SYNCs
 * that stand for the host's ({@link #signalledSyncs()}), single-writer counters published with release
 * stores. The warm path allocates nothing.
 */
public final class ExecutionGate implements CommandExecution
{
    private static final int CMD_SYNC = Opcode.CMD_SYNC.value();

    private final int smmuId;
    private final CommandExecution target;
    private final AtomicReference<Thread> holder = new AtomicReference<>();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong signalledSyncs = new AtomicLong();

    /**
     * @param smmuId the SMMU it belongs to (for messages).
     * @param target the SMMU's real execution.
     */
    public ExecutionGate(final int smmuId, final CommandExecution target)
    {
        this.smmuId = smmuId;
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Engine thread: executes one command inside the gate.
     *
     * @param dword0 the command's dword 0 (after substitution).
     * @param dword1 the command's dword 1.
     * @return the target's result.
     */
    @Override
    public int execute(final long dword0, final long dword1)
    {
        enter();
        try
        {
            // Single writer (inside the gate): plain read, release store.
            executed.lazySet(executed.get() + 1);
            if ((int)(dword0 & 0xFF) == CMD_SYNC)
            {
                syncs.lazySet(syncs.get() + 1);
                if ((dword0 & CmdSyncLayout.CS_MASK) != 0)
                {
                    signalledSyncs.lazySet(signalledSyncs.get() + 1);
                }
            }
            return target.execute(dword0, dword1);
        }
        finally
        {
            holder.set(null);
        }
    }

    /**
     * Runs {@code action} with the engine kept out of the SMMU's caches: fill or inspect them here.
     *
     * @param action what to do; must not issue commands and wait for them.
     * @throws IllegalStateException when the calling thread already holds the gate.
     */
    public void access(final Runnable action)
    {
        enter();
        try
        {
            action.run();
        }
        finally
        {
            holder.set(null);
        }
    }

    /**
     * As {@link #access(Runnable)}, returning what {@code query} computes.
     *
     * @param query what to compute from the caches.
     * @param <T>   its type.
     * @return its value.
     */
    public <T> T query(final Supplier<T> query)
    {
        enter();
        try
        {
            return query.get();
        }
        finally
        {
            holder.set(null);
        }
    }

    /**
     * @return the execution behind the gate (use it only inside {@link #access} or {@link #query}).
     */
    public CommandExecution target()
    {
        return target;
    }

    /**
     * @return commands that reached the caches, CMD_SYNCs included; any thread.
     */
    public long executed()
    {
        return executed.get();
    }

    /**
     * @return CMD_SYNCs that reached the caches (the host's main-CMDQ syncs and the guests' VCMDQ syncs).
     */
    public long syncs()
    {
        return syncs.get();
    }

    /**
     * CMD_SYNCs that asked for a completion signal (CS = IRQ or SEV). In this system only the host's
     * main-CMDQ syncs do — a guest VCMDQ's are CS = NONE, as Linux's, and so is the testbed's repair —
     * so this counts the host's syncs as long as no guest sends a signalled sync on its VCMDQ.
     *
     * @return those syncs; any thread.
     */
    public long signalledSyncs()
    {
        return signalledSyncs.get();
    }

    private void enter()
    {
        final Thread self = Thread.currentThread();
        while (!holder.compareAndSet(null, self))
        {
            if (holder.get() == self)
            {
                throw new IllegalStateException("smmu " + smmuId + ": the caches' gate is already held by this thread " +
                    "(an access issued a command, or the engine ran inside an access)");
            }
            Thread.yield();
        }
    }

    @Override
    public String toString()
    {
        return "ExecutionGate{smmu " + smmuId + ", executed=" + executed() + ", syncs=" + syncs() + "}";
    }
}
