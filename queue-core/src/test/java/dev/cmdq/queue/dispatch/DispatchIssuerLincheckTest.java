package dev.cmdq.queue.dispatch;

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
 * Lincheck, stress mode (model checking cannot instrument Agrona buffers or JCTools queues), on the
 * dispatch issuer in both modes: concurrent {@code issue(n, sync)} calls hand over to the single writer;
 * the real {@link dev.cmdq.queue.QueueConsumer} consumes, run by whichever caller is waiting (each idle step drives the
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

    /** The concurrent object: a fresh queue, device and issuer per scenario. */
    public abstract static class DispatchQueue
    {
        private final TaggedCommandDevice device = new TaggedCommandDevice(LOG2_SIZE, false);
        private final DispatchIssuer issuer;

        DispatchQueue(final DispatchMode mode)
        {
            issuer = new DispatchIssuer(device.memory(), device.registers(), device.completion(), CompletionWait.WRITE_BACK,
                new WaitPolicy(WaitPolicy.DEFAULT_TIMEOUT_NS, device::newIdleStrategy, SystemNanoClock.INSTANCE), mode);
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
            final TaggedCommandDevice.TaggedCall call = device.newCall(n);
            final int status = issuer.issue(call.commands(), 0, n, sync);
            if (status != IssueStatus.OK)
            {
                return -1000 + status;
            }
            return sync ? device.firstPosition(call.tag()) : 0;
        }

        /**
         * After the scenario: everything published is consumed, intact, once, contiguous; then close.
         */
        @Validate
        public void everyCommandExecutedOnceIntactAndContiguous()
        {
            try
            {
                device.drainAndValidate();
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
