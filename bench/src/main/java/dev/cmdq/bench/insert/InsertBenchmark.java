package dev.cmdq.bench.insert;

import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.EntryHandler;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.smmu.CmdSyncCompletion;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multi-producer insertion: every strategy (and Agrona's many-to-one ring as the peer) with a device
 * thread consuming, producers = JMH threads (run with {@code -t 1/2/4}), batch 1/8/64, with and without
 * a CMD_SYNC per call. The score is calls per µs summed over producers; commands per second is that ×
 * batch. The auxiliary counters {@code deviceCommands} and {@code deviceSyncs} (reported by producer
 * 0 only) give the CMD_SYNCs the device executed per command — where coalescing shows.
 *
 * <p>On 2 vCPUs the device thread (and a dispatcher's writer thread) compete with the producers for
 * cores: compare strategies within one run and next to the placement probe; scaling claims need a
 * bigger machine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class InsertBenchmark
{
    /** Ring entries (2^10), well above Linux's minimum of 128. */
    static final int LOG2_SIZE = 10;

    /**
     * The queue, its device thread and the strategy under test.
     */
    @State(Scope.Benchmark)
    public static class Queue implements EntryHandler, MessageHandler
    {
        /** Strategy label (see {@link InsertStrategy}). */
        @Param({"linux-lockfree", "spin-lock", "dispatch-thread", "dispatch-combining", "agrona-m2o"})
        public String strategy;
        /** Commands per call. */
        @Param({"1", "8", "64"})
        public int batch;
        /** Whether each call ends with a CMD_SYNC and waits for it. */
        @Param({"false", "true"})
        public boolean sync;

        final AtomicLong commands = new AtomicLong();
        final AtomicLong syncs = new AtomicLong();
        long checksum;
        DirectRingMemory memory;
        MappedQueueRegisters registers;
        CommandIssuer issuer;
        AgentRunner device;

        /**
         * Builds the queue and starts the device.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            final WaitPolicy wait = WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(5));
            final Agent agent;
            final InsertStrategy s = InsertStrategy.ofLabel(strategy);
            if (s == InsertStrategy.AGRONA_MANY_TO_ONE)
            {
                final ManyToOnePeer peer = new ManyToOnePeer((1 << LOG2_SIZE) * 16 * 2, wait);
                issuer = peer;
                agent = new Agent()
                {
                    @Override
                    public int doWork()
                    {
                        return peer.ring().read(Queue.this, 64);
                    }

                    @Override
                    public String roleName()
                    {
                        return "agrona-device";
                    }
                };
            }
            else
            {
                memory = DirectRingMemory.allocate(LOG2_SIZE);
                registers = MappedQueueRegisters.allocate();
                issuer = s.create(memory, registers, CmdSyncCompletion.LINUX, wait);
                agent = new QueueConsumer(memory, registers, this, CmdSyncCompletion.LINUX);
            }
            device = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, agent);
            AgentRunner.startOnThread(device);
        }

        /**
         * Stops the device, frees the queue.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            issuer.close();
            device.close();
            if (memory != null)
            {
                memory.close();
                registers.close();
            }
        }

        @Override
        public int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (CmdSyncCompletion.LINUX.isCompletion(buffer, offset))
            {
                syncs.lazySet(syncs.get() + 1);
            }
            else
            {
                commands.lazySet(commands.get() + 1);
            }
            return 0;
        }

        @Override
        public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
        {
            // Read each command's first word, as the cmdq device reads the opcode to spot a CMD_SYNC.
            long opcodes = 0;
            for (int o = index; o < index + length; o += 16)
            {
                opcodes += buffer.getLong(o) & 0xFF;
            }
            checksum += opcodes;
            commands.lazySet(commands.get() + (length >> 4));
        }
    }

    /**
     * One producer's pre-built commands (TLBI-shaped 16-byte entries).
     */
    @State(Scope.Thread)
    public static class Producer
    {
        final UnsafeBuffer commands = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 16));

        /**
         * Fills the batch.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            for (int i = 0; i < 64; i++)
            {
                commands.putLong(i * 16, 0x0001_0002_0000_0012L);
                commands.putLong(i * 16 + 8, 0x1000L * i);
            }
        }
    }

    /**
     * What the device executed during the iteration, reported once (by producer 0).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class DeviceCounts
    {
        /** Commands (not syncs) the device executed. */
        public long deviceCommands;
        /** CMD_SYNCs the device executed. */
        public long deviceSyncs;
        /** Calls that returned an error status. */
        public long failedCalls;
        private long commandsAtStart;
        private long syncsAtStart;

        /**
         * Snapshots the device counters.
         *
         * @param q the queue.
         */
        @Setup(Level.Iteration)
        public void start(final Queue q)
        {
            commandsAtStart = q.commands.get();
            syncsAtStart = q.syncs.get();
            deviceCommands = 0;
            deviceSyncs = 0;
            failedCalls = 0;
        }

        /**
         * Reports the device's work in this iteration, from producer 0 only so the sum is not multiplied.
         *
         * @param q      the queue.
         * @param thread which producer this is.
         */
        @TearDown(Level.Iteration)
        public void end(final Queue q, final ThreadParams thread)
        {
            if (thread.getThreadIndex() == 0)
            {
                deviceCommands = q.commands.get() - commandsAtStart;
                deviceSyncs = q.syncs.get() - syncsAtStart;
            }
        }
    }

    /**
     * One call: {@code batch} commands, with or without a CMD_SYNC.
     *
     * @param q      the queue.
     * @param p      this producer's commands.
     * @param counts failure counter.
     * @return the status.
     */
    @Benchmark
    public int issue(final Queue q, final Producer p, final DeviceCounts counts)
    {
        final int status = q.issuer.issue(p.commands, 0, q.batch, q.sync);
        if (status != IssueStatus.OK)
        {
            counts.failedCalls++;
        }
        return status;
    }
}
