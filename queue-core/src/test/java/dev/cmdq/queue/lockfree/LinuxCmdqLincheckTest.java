package dev.cmdq.queue.lockfree;

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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck, stress mode (model checking cannot instrument Agrona buffers), on Linux's algorithm:
 * concurrent {@code issue(n, sync)} calls reserve, write and publish; the real {@link QueueConsumer}
 * consumes, run by whichever caller is waiting (each wait's idle step drives the device once, under a
 * try-lock, so the device stays single-threaded).
 *
 * <p>The sequential specification is a counter of reserved slots: {@code issue(n, sync)} takes
 * {@code n + (sync ? 1 : 0)} slots, and a sync call returns the queue position of its first command —
 * observed by the device, so the check covers reservation, publication and consumption: positions must
 * be those of some order of the calls consistent with real time, each call's commands contiguous. A
 * non-sync call returns 0 (it has no completion to learn its position from). After each scenario the
 * validation drains the device and checks that every command arrived intact, contiguous and exactly
 * once.
 */
class LinuxCmdqLincheckTest
{
    static final int LOG2_SIZE = 7;
    static final int MAX_TAGS = 1024;

    /** The concurrent object: a fresh queue, device and issuer per scenario. */
    public static class LinuxQueue
    {
        private final DirectRingMemory memory = DirectRingMemory.allocate(LOG2_SIZE);
        private final MappedQueueRegisters registers = MappedQueueRegisters.allocate();
        private final TestCompletionEntry completion = new TestCompletionEntry();
        private final QueueConsumer device = new QueueConsumer(memory, registers, this::onEntry, completion);
        private final AtomicBoolean deviceBusy = new AtomicBoolean();
        private final LinuxCmdqIssuer issuer;
        private final AtomicInteger tags = new AtomicInteger();
        private final AtomicLong issuedCommands = new AtomicLong();
        private final AtomicIntegerArray firstPosition = new AtomicIntegerArray(MAX_TAGS);
        // Device state, touched only under deviceBusy.
        private int position;
        private int openTag;
        private int nextIndex;
        private long executedCommands;
        private volatile String failure;

        /**
         * The algorithm as specified.
         */
        public LinuxQueue()
        {
            this(Fault.NONE);
        }

        LinuxQueue(final Fault fault)
        {
            issuer = new LinuxCmdqIssuer(memory, registers, completion, CompletionWait.WRITE_BACK,
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, DevicePoke::new, SystemNanoClock.INSTANCE), null, fault);
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
            final int at = position++;
            if (completion.isCompletion(buffer, offset))
            {
                check(openTag == 0, "completion inside the call of tag " + openTag);
                return CommandError.NONE;
            }
            check(StressEntry.isIntact(buffer, offset), "torn entry at " + at);
            final long sequence = StressEntry.sequence(buffer, offset);
            final int tag = (int)(sequence >>> 8);
            final int index = (int)(sequence & 0xFF);
            if (openTag == 0)
            {
                check(index == 0, "tag " + tag + " starts at command " + index);
                firstPosition.set(tag, at);
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
         * @param sync whether to append a sync and wait for it.
         * @return for a sync call the queue position of its first command, else 0; negative on a
         *         failed status.
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
            return sync ? firstPosition.get(tag) : 0;
        }

        /**
         * After the scenario: everything published is consumed, intact, once, contiguous.
         */
        @Validate
        public void everyCommandExecutedOnceIntactAndContiguous()
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
            if (issuer.lockValue() != 0)
            {
                throw new IllegalStateException("cmdq lock left at " + issuer.lockValue());
            }
        }
    }

    /** Negative control: the owner publishes PROD before the gathered slots are valid. */
    public static class ProdBeforeValidQueue extends LinuxQueue
    {
        /**
         * The broken variant.
         */
        public ProdBeforeValidQueue()
        {
            super(Fault.PROD_BEFORE_VALID);
        }
    }

    /** Sequential specification: a counter of reserved slots. */
    public static class SlotCounter
    {
        private int reserved;

        /**
         * @param n    commands.
         * @param sync whether a sync slot follows.
         * @return the first command's position for a sync call, else 0.
         */
        public int issue(final int n, final boolean sync)
        {
            final int first = reserved;
            reserved += n + (sync ? 1 : 0);
            return sync ? first : 0;
        }
    }

    /** A wrong specification that forgets the sync slot: the real queue must be told apart from it. */
    public static class SlotCounterWithoutSyncSlots
    {
        private int reserved;

        /**
         * @param n    commands.
         * @param sync whether a sync slot follows (not counted: wrong).
         * @return the first command's position for a sync call, else 0.
         */
        public int issue(final int n, final boolean sync)
        {
            final int first = reserved;
            reserved += n;
            return sync ? first : 0;
        }
    }

    private static StressOptions options(final Class<?> spec)
    {
        return new StressOptions()
            .iterations(30)
            .invocationsPerIteration(300)
            .threads(3)
            .actorsPerThread(4)
            .actorsBefore(1)
            .actorsAfter(1)
            .minimizeFailedScenario(false)
            .sequentialSpecification(spec);
    }

    @Test
    void issueIsLinearizableAsASlotCounterAndEveryCommandArrives()
    {
        options(SlotCounter.class).check(LinuxQueue.class);
    }

    @Test
    void theCheckCatchesProdPublishedBeforeTheSlotsAreValid()
    {
        assertThrows(AssertionError.class, () -> options(SlotCounter.class).check(ProdBeforeValidQueue.class));
    }

    @Test
    void theCheckCanFailTheSyncSlotCounts()
    {
        assertThrows(AssertionError.class, () -> options(SlotCounterWithoutSyncSlots.class).check(LinuxQueue.class));
    }
}
