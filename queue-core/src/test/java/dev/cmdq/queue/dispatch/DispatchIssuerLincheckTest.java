package dev.cmdq.queue.dispatch;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.DirectRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.StressEntry;
import dev.cmdq.queue.testkit.TestCompletionEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck, stress mode (model checking cannot instrument Agrona buffers or JCTools queues), on the
 * dispatch issuer in both modes: concurrent {@code issue(n, sync)} calls hand over to the single writer;
 * the real {@link QueueConsumer} consumes, run by whichever caller is waiting (each idle step drives the
 * device once, under a try-lock, so the device stays single-threaded).
 *
 * <p>The sequential specification is a counter of <em>commands</em>: a sync call returns the index of
 * its first command among all commands the device executed, observed by the device. Sync slots are not
 * counted, because group commit decides how many there are; so positions must be those of some order of
 * the calls consistent with real time, each call's commands contiguous. A non-sync call returns 0. After
 * each scenario the validation drains the device, checks that every command arrived intact, contiguous
 * and exactly once, and closes the issuer (which stops a writer thread).
 */
class DispatchIssuerLincheckTest
{
    static final int LOG2_SIZE = 7;
    static final int MAX_TAGS = 1024;

    /** The concurrent object: a fresh queue, device and issuer per scenario. */
    public abstract static class DispatchQueue
    {
        private final DirectRingMemory memory = DirectRingMemory.allocate(LOG2_SIZE);
        private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
        private final TestCompletionEntry completion = new TestCompletionEntry();
        private final QueueConsumer device = new QueueConsumer(memory, registers, this::onEntry, completion);
        private final AtomicBoolean deviceBusy = new AtomicBoolean();
        private final DispatchIssuer issuer;
        private final AtomicInteger tags = new AtomicInteger();
        private final AtomicLong issuedCommands = new AtomicLong();
        private final AtomicIntegerArray firstCommand = new AtomicIntegerArray(MAX_TAGS);
        // Device state, touched only under deviceBusy.
        private int commandIndex;
        private int openTag;
        private int nextIndex;
        private long executedCommands;
        private volatile String failure;

        DispatchQueue(final DispatchMode mode)
        {
            issuer = new DispatchIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, DevicePoke::new, SystemNanoClock.INSTANCE), mode);
        }

        /** An idle step: drive the device once if nobody else is, then yield. */
        private final class DevicePoke implements IdleStrategy
        {
            @Override
            public void idle(final int workCount)
            {
                idle();
            }

            @Override
            public void idle()
            {
                poke();
                Thread.yield();
            }

            @Override
            public void reset()
            {
            }
        }

        private int poke()
        {
            if (!deviceBusy.compareAndSet(false, true))
            {
                return 0;
            }
            try
            {
                return device.drain(64);
            }
            finally
            {
                deviceBusy.set(false);
            }
        }

        private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
        {
            if (completion.isCompletion(buffer, offset))
            {
                check(openTag == 0, "completion inside the call of tag " + openTag);
                return CommandError.NONE;
            }
            final int at = commandIndex++;
            check(StressEntry.isIntact(buffer, offset), "torn entry at command " + at);
            final long sequence = StressEntry.sequence(buffer, offset);
            final int tag = (int)(sequence >>> 8);
            final int index = (int)(sequence & 0xFF);
            if (openTag == 0)
            {
                check(index == 0, "tag " + tag + " starts at command " + index);
                firstCommand.set(tag, at);
            }
            else
            {
                check(tag == openTag && index == nextIndex, "tag " + tag + "/" + index + " inside tag " + openTag);
            }
            openTag = (StressEntry.flags(buffer, offset) & 1) != 0 ? 0 : tag;
            nextIndex = index + 1;
            executedCommands++;
            return CommandError.NONE;
        }

        private void check(final boolean ok, final String what)
        {
            if (!ok && failure == null)
            {
                failure = what;
            }
        }

        /**
         * @param n    commands, 1..6.
         * @param sync whether the call waits for a sync after its commands.
         * @return for a sync call the index of its first command among all commands, else 0; negative on
         *         a failed status.
         */
        @Operation
        public int issue(@Param(gen = IntGen.class, conf = "1:6") final int n, @Param(gen = BooleanGen.class) final boolean sync)
        {
            final int tag = tags.incrementAndGet();
            final UnsafeBuffer commands = new UnsafeBuffer(new byte[n * 16]);
            for (int i = 0; i < n; i++)
            {
                StressEntry.write(commands, i * 16, ((long)tag << 8) | i, i == n - 1 ? 1 : 0);
            }
            issuedCommands.addAndGet(n);
            final int status = issuer.issue(commands, 0, n, sync);
            if (status != IssueStatus.OK)
            {
                return -1000 + status;
            }
            return sync ? firstCommand.get(tag) : 0;
        }

        /**
         * After the scenario: everything published is consumed, intact, once, contiguous; then close.
         */
        @Validate
        public void everyCommandExecutedOnceIntactAndContiguous()
        {
            try
            {
                while (registers.getConsAcquire() != registers.getProdAcquire())
                {
                    poke();
                }
                if (failure != null)
                {
                    throw new IllegalStateException(failure);
                }
                if (executedCommands != issuedCommands.get())
                {
                    throw new IllegalStateException(executedCommands + " commands executed of " + issuedCommands.get());
                }
            }
            finally
            {
                issuer.close();
            }
        }
    }

    /** Combining: a waiting caller runs the writer. */
    public static class CombiningQueue extends DispatchQueue
    {
        /**
         * A combining dispatcher.
         */
        public CombiningQueue()
        {
            super(DispatchMode.COMBINING);
        }
    }

    /** A dedicated writer thread. */
    public static class WriterThreadQueue extends DispatchQueue
    {
        /**
         * A dispatcher with its own writer thread.
         */
        public WriterThreadQueue()
        {
            super(DispatchMode.WRITER_THREAD);
        }
    }

    /** Sequential specification: a counter of commands. */
    public static class CommandCounter
    {
        private int commands;

        /**
         * @param n    commands.
         * @param sync whether the call waits for a sync.
         * @return the first command's index for a sync call, else 0.
         */
        public int issue(final int n, final boolean sync)
        {
            final int first = commands;
            commands += n;
            return sync ? first : 0;
        }
    }

    /** A wrong specification that counts a sync slot per sync call, as a strategy without group commit. */
    public static class CommandCounterWithSyncSlots
    {
        private int slots;

        /**
         * @param n    commands.
         * @param sync whether a sync slot follows (counted: wrong here).
         * @return the first command's position for a sync call, else 0.
         */
        public int issue(final int n, final boolean sync)
        {
            final int first = slots;
            slots += n + (sync ? 1 : 0);
            return sync ? first : 0;
        }
    }

    private static StressOptions options(final Class<?> spec, final int iterations, final int invocations)
    {
        return new StressOptions()
            .iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(4)
            .actorsBefore(1)
            .actorsAfter(1)
            .minimizeFailedScenario(false)
            .sequentialSpecification(spec);
    }

    @Test
    void combiningIssueIsLinearizableAsACommandCounterAndEveryCommandArrives()
    {
        options(CommandCounter.class, 30, 300).check(CombiningQueue.class);
    }

    @Test
    void writerThreadIssueIsLinearizableAsACommandCounterAndEveryCommandArrives()
    {
        // Fewer invocations: each scenario starts and joins a writer thread.
        options(CommandCounter.class, 10, 100).check(WriterThreadQueue.class);
    }

    @Test
    void theCheckCanFailASpecificationThatCountsSyncSlots()
    {
        assertThrows(AssertionError.class, () -> options(CommandCounterWithSyncSlots.class, 30, 300).check(CombiningQueue.class));
    }
}
