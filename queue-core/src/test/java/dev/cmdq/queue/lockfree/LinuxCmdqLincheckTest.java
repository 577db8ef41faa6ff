package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.testkit.TaggedCommandDevice;
import org.agrona.concurrent.SystemNanoClock;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck, stress mode (model checking cannot instrument Agrona buffers), on Linux's algorithm:
 * concurrent {@code issue(n, sync)} calls reserve, write and publish; the real {@link dev.cmdq.queue.QueueConsumer}
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

    /** The concurrent object: a fresh queue, device and issuer per scenario. */
    public static class LinuxQueue
    {
        private final TaggedCommandDevice device = new TaggedCommandDevice(LOG2_SIZE, true);
        private final LinuxCmdqIssuer issuer;

        /**
         * The algorithm as specified.
         */
        public LinuxQueue()
        {
            this(Fault.NONE);
        }

        LinuxQueue(final Fault fault)
        {
            issuer = new LinuxCmdqIssuer(device.memory(), device.registers(), device.completion(), CompletionWait.WRITE_BACK,
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, device::newIdleStrategy, SystemNanoClock.INSTANCE), null, fault);
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
            final TaggedCommandDevice.TaggedCall call = device.newCall(n);
            final int status = issuer.issue(call.commands(), 0, n, sync);
            if (status != IssueStatus.OK)
            {
                return -1000 + status;
            }
            return sync ? device.firstPosition(call.tag()) : 0;
        }

        /**
         * After the scenario: everything published is consumed, intact, once, contiguous.
         */
        @Validate
        public void everyCommandExecutedOnceIntactAndContiguous()
        {
            device.drainAndValidate();
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
