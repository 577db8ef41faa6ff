package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One physical SMMUv3 with its Tegra241 CMDQV (vcmdq-viommu.md §1): a main CMDQ (ring and registers,
 * which the host's {@code HostCmdq} produces into), a {@link Cmdqv} with VINTFs and VCMDQs, and the
 * {@link SmmuEngine} that consumes all of them and hands each accepted command to this SMMU's
 * {@link CommandExecution}.
 *
 * <p><b>Two modes, one engine.</b> {@link #startInline()} drives the engine with an
 * {@link AgentInvoker}: nothing runs until someone calls {@link #dutyCycle()} — typically a waiter whose
 * idle strategy is {@link #inlineIdleStrategy()}, so a host waiting for a CMD_SYNC or a guest polling
 * CONS moves the hardware on its own thread, deterministically. Concurrent callers are serialised by a
 * try-lock: a caller that finds the engine busy returns at once (the engine is progressing anyway), so
 * the engine never runs on two threads. {@link #startThreaded(IdleStrategy)} runs the same agent on its
 * own thread with an {@link AgentRunner}.
 *
 * <p>The main CMDQ's CMD_SYNC completes the Linux way ({@link CmdSyncCompletion#LINUX}: CS=IRQ with an
 * MSI write-back into the ring); VCMDQ syncs never write back.
 */
public final class PhysicalSmmu implements AutoCloseable
{
    /** Longest {@link #close()} waits for a duty cycle running on another thread in inline mode. */
    public static final long CLOSE_TIMEOUT_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final int smmuId;
    private final HardwarePolicy policy;
    private final int maxQueueLog2Size;
    private final DirectRingMemory mainMemory;
    private final MappedQueueRegisters mainRegisters;
    private final Cmdqv cmdqv;
    private final SmmuEngine engine;
    private final AtomicBoolean engineBusy = new AtomicBoolean();
    private final AtomicLong engineErrors = new AtomicLong();
    private volatile Throwable lastEngineError;
    private AgentInvoker invoker;
    private AgentRunner runner;
    private boolean closed;

    private PhysicalSmmu(final Builder builder)
    {
        this.smmuId = builder.smmuId;
        this.policy = builder.policy;
        this.maxQueueLog2Size = builder.maxQueueLog2Size;
        this.mainMemory = DirectRingMemory.allocate(builder.mainCmdqLog2Size);
        this.mainRegisters = MappedQueueRegisters.allocate();
        this.cmdqv = new Cmdqv(builder.log2Vintfs, builder.log2Vcmdqs);
        final QueueConsumer main = new QueueConsumer(mainMemory, mainRegisters,
            new MainCmdqHandler(policy, builder.execution), CmdSyncCompletion.LINUX, policy.quantum());
        final VcmdqPort[] ports = new VcmdqPort[cmdqv.numVcmdqs()];
        for (int q = 0; q < ports.length; q++)
        {
            ports[q] = new VcmdqPort(cmdqv, cmdqv.vcmdq(q), policy, builder.execution);
        }
        this.engine = new SmmuEngine(smmuId, main, ports, policy);
    }

    /**
     * @param execution what every accepted command does (the SMMU's caches).
     * @return a builder with the defaults: SMMU 0, a 256-entry main CMDQ, 4 VINTFs, 8 VCMDQs,
     *         IDR1.CMDQS 19, {@link HardwarePolicy#DEFAULT}.
     */
    public static Builder builder(final CommandExecution execution)
    {
        return new Builder(execution);
    }

    /**
     * Starts inline mode: the engine runs only inside {@link #dutyCycle()}.
     *
     * @return this.
     * @throws IllegalStateException when already started.
     */
    public synchronized PhysicalSmmu startInline()
    {
        checkNotStarted();
        invoker = new AgentInvoker(this::onEngineError, null, engine);
        invoker.start();
        return this;
    }

    /**
     * Starts threaded mode with Linux-like back-off ({@link WaitPolicy#defaultIdle()}).
     *
     * @return this.
     */
    public PhysicalSmmu startThreaded()
    {
        return startThreaded(WaitPolicy.defaultIdle());
    }

    /**
     * Starts threaded mode: the engine runs on its own thread until {@link #close()}.
     *
     * @param idle what the engine thread does when a duty cycle found nothing (must back off on a
     *             small machine).
     * @return this.
     * @throws IllegalStateException when already started.
     */
    public synchronized PhysicalSmmu startThreaded(final IdleStrategy idle)
    {
        checkNotStarted();
        runner = new AgentRunner(Objects.requireNonNull(idle, "idle"), this::onEngineError, null, engine);
        AgentRunner.startOnThread(runner);
        return this;
    }

    /**
     * Inline mode: runs one duty cycle on the calling thread, unless another thread is running one.
     *
     * @return the work done (0 when idle or when the engine was busy on another thread).
     * @throws IllegalStateException when not in inline mode.
     */
    public int dutyCycle()
    {
        final AgentInvoker invoker = this.invoker;
        if (invoker == null)
        {
            throw new IllegalStateException("smmu " + smmuId + " is not in inline mode");
        }
        if (!engineBusy.compareAndSet(false, true))
        {
            return 0;
        }
        try
        {
            return invoker.invoke();
        }
        finally
        {
            engineBusy.set(false);
        }
    }

    /**
     * @return an idle strategy that runs one duty cycle of this SMMU per idle (inline mode); one per
     *         waiting thread, as idle strategies carry state.
     */
    public IdleStrategy inlineIdleStrategy()
    {
        return new InlineEngineIdleStrategy(this);
    }

    private void onEngineError(final Throwable error)
    {
        engineErrors.incrementAndGet();
        lastEngineError = error;
    }

    private void checkNotStarted()
    {
        if (invoker != null || runner != null || closed)
        {
            throw new IllegalStateException("smmu " + smmuId + " is already started or closed");
        }
    }

    /**
     * @return the SMMU's index.
     */
    public int smmuId()
    {
        return smmuId;
    }

    /**
     * @return the hardware assumptions in force.
     */
    public HardwarePolicy policy()
    {
        return policy;
    }

    /**
     * @return the policy's assumptions, one line each, for reports.
     */
    public List<String> describe()
    {
        return policy.describe();
    }

    /**
     * @return IDR1.CMDQS: log2 of the most entries a command queue of this SMMU may have.
     */
    public int maxQueueLog2Size()
    {
        return maxQueueLog2Size;
    }

    /**
     * @return the main CMDQ's ring.
     */
    public RingMemory mainCmdqMemory()
    {
        return mainMemory;
    }

    /**
     * @return the main CMDQ's PROD/CONS/GERROR/GERRORN.
     */
    public MappedQueueRegisters mainCmdqRegisters()
    {
        return mainRegisters;
    }

    /**
     * Connects the main CMDQ's GERROR interrupt to the host's handler.
     *
     * @param listener the handler, or null to disconnect it.
     */
    public void gerrorListener(final GerrorListener listener)
    {
        engine.gerrorListener(listener);
    }

    /**
     * @return the CMDQV.
     */
    public Cmdqv cmdqv()
    {
        return cmdqv;
    }

    /**
     * @return the engine (for its counters; drive it through the modes, not directly).
     */
    public SmmuEngine engine()
    {
        return engine;
    }

    /**
     * @return exceptions the engine threw (each also stopped the entry that threw it, see
     *         {@link QueueConsumer}).
     */
    public long engineErrors()
    {
        return engineErrors.get();
    }

    /**
     * @return the last exception the engine threw, or null.
     */
    public Throwable lastEngineError()
    {
        return lastEngineError;
    }

    /**
     * Stops the engine (joining its thread in threaded mode), then frees the main CMDQ and the CMDQV
     * registers. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        if (runner != null)
        {
            runner.close();
        }
        else if (invoker != null)
        {
            // A duty cycle in progress on another thread is short; the bound only guards against a hung one.
            final long deadline = System.nanoTime() + CLOSE_TIMEOUT_NS;
            while (!engineBusy.compareAndSet(false, true))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("smmu " + smmuId + ": a duty cycle did not end within " +
                        CLOSE_TIMEOUT_NS + " ns; not closed");
                }
                Thread.yield();
            }
            invoker.close();
        }
        else
        {
            engine.onClose();
        }
        closed = true;
        mainRegisters.close();
        mainMemory.close();
        cmdqv.close();
    }

    @Override
    public String toString()
    {
        return "PhysicalSmmu{" + smmuId + ", vintfs=" + cmdqv.numVintfs() + ", vcmdqs=" + cmdqv.numVcmdqs() + "}";
    }

    /**
     * The configuration of a {@link PhysicalSmmu}.
     */
    public static final class Builder
    {
        private final CommandExecution execution;
        private int smmuId;
        private int mainCmdqLog2Size = 8;
        private int log2Vintfs = 2;
        private int log2Vcmdqs = 3;
        private int maxQueueLog2Size = QueueIndex.MAX_LOG2_SIZE;
        private HardwarePolicy policy = HardwarePolicy.DEFAULT;

        private Builder(final CommandExecution execution)
        {
            this.execution = Objects.requireNonNull(execution, "execution");
        }

        /**
         * @param smmuId the SMMU's index, {@code >= 0}.
         * @return this.
         */
        public Builder smmuId(final int smmuId)
        {
            if (smmuId < 0)
            {
                throw new IllegalArgumentException("smmuId=" + smmuId + " is negative");
            }
            this.smmuId = smmuId;
            return this;
        }

        /**
         * @param log2Size log2 of the main CMDQ's entries.
         * @return this.
         */
        public Builder mainCmdqLog2Size(final int log2Size)
        {
            this.mainCmdqLog2Size = QueueIndex.checkLog2Size(log2Size);
            return this;
        }

        /**
         * @param log2Vintfs log2 of the VINTFs (PARAM[11:8]), 0..6.
         * @param log2Vcmdqs log2 of the VCMDQs (PARAM[7:4]), {@code log2Vintfs..7}.
         * @return this.
         */
        public Builder cmdqv(final int log2Vintfs, final int log2Vcmdqs)
        {
            this.log2Vintfs = log2Vintfs;
            this.log2Vcmdqs = log2Vcmdqs;
            return this;
        }

        /**
         * @param log2Size IDR1.CMDQS: log2 of the largest command queue, 1..19.
         * @return this.
         */
        public Builder maxQueueLog2Size(final int log2Size)
        {
            this.maxQueueLog2Size = QueueIndex.checkLog2Size(log2Size);
            return this;
        }

        /**
         * @param policy the hardware assumptions.
         * @return this.
         */
        public Builder policy(final HardwarePolicy policy)
        {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @return the SMMU, not started.
         */
        public PhysicalSmmu build()
        {
            return new PhysicalSmmu(this);
        }
    }
}
