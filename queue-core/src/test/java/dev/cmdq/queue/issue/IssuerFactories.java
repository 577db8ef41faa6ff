package dev.cmdq.queue.issue;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.dispatch.DispatchIssuer;
import dev.cmdq.queue.dispatch.DispatchMode;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.spin.SpinLockIssuer;

import java.util.List;

/**
 * Every {@link CommandIssuer} implementation the parameterised suites run
 * ({@link CommandIssuerContractTest}, {@link CommandIssuerStressTest}, {@link IssuerZeroAllocationTest}).
 * A new strategy joins all of them with one line in {@link #ALL}.
 */
public final class IssuerFactories
{
    /** Builds an issuer over a ring, its registers and a completion format. */
    @FunctionalInterface
    public interface Factory
    {
        /**
         * @param memory     the ring (the issuer retains it; the caller closes it after the issuer).
         * @param registers  the queue's registers.
         * @param completion the completion entry format.
         * @param wait       back-off and bound of every wait.
         * @return a new issuer.
         */
        CommandIssuer create(RingMemory memory, QueueRegisters registers, CompletionEntry completion, WaitPolicy wait);
    }

    /**
     * A factory with the name the test reports show.
     *
     * @param name           report name.
     * @param factory        the factory.
     * @param coalescesSyncs whether concurrent sync calls may share one completion entry (group commit),
     *                       so a multi-threaded run executes at most, not exactly, one per sync call.
     * @param ownThread      whether the strategy runs a thread of its own that must get the CPU for a
     *                       call to make progress (a stepping clock read by a spinning caller must then
     *                       allow it real time: see {@code CommandIssuerContractTest}).
     */
    public record Named(String name, Factory factory, boolean coalescesSyncs, boolean ownThread)
    {
        /**
         * A strategy that writes one completion entry per sync call.
         *
         * @param name    report name.
         * @param factory the factory.
         */
        public Named(final String name, final Factory factory)
        {
            this(name, factory, false, false);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    /** All strategies. */
    public static final List<Named> ALL = List.of(
        new Named("linux-lockfree", (m, r, c, w) -> new LinuxCmdqIssuer(m, r, c, CompletionWait.WRITE_BACK, w)),
        new Named("linux-lockfree-cons-poll", (m, r, c, w) -> new LinuxCmdqIssuer(m, r, c, CompletionWait.CONS_POLL, w)),
        new Named("spin-lock", (m, r, c, w) -> new SpinLockIssuer(m, r, c, CompletionWait.WRITE_BACK, w)),
        new Named("spin-lock-cons-poll", (m, r, c, w) -> new SpinLockIssuer(m, r, c, CompletionWait.CONS_POLL, w)),
        new Named("dispatch-thread",
            (m, r, c, w) -> new DispatchIssuer(m, r, c, CompletionWait.WRITE_BACK, w, DispatchMode.WRITER_THREAD), true, true),
        new Named("dispatch-thread-cons-poll",
            (m, r, c, w) -> new DispatchIssuer(m, r, c, CompletionWait.CONS_POLL, w, DispatchMode.WRITER_THREAD), true, true),
        new Named("dispatch-combining",
            (m, r, c, w) -> new DispatchIssuer(m, r, c, CompletionWait.WRITE_BACK, w, DispatchMode.COMBINING), true, false),
        new Named("dispatch-combining-cons-poll",
            (m, r, c, w) -> new DispatchIssuer(m, r, c, CompletionWait.CONS_POLL, w, DispatchMode.COMBINING), true, false)
    );

    private IssuerFactories()
    {
    }

    /**
     * @return {@link #ALL}, as a JUnit {@code @MethodSource}.
     */
    public static List<Named> all()
    {
        return ALL;
    }
}
