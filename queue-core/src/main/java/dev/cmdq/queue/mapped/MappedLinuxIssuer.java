package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CompletionEntry;
import dev.cmdq.queue.issue.CommandIssuer;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.WaitPolicy;
import dev.cmdq.queue.lockfree.ClaimJournal;
import dev.cmdq.queue.lockfree.LinuxCmdqIssuer;
import dev.cmdq.queue.lockfree.SharedCmdqState;
import org.agrona.DirectBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Linux's lock-free multi-producer issuer ({@link LinuxCmdqIssuer}) over a ring file that several
 * producer processes share: every process joins the one software state kept in the file
 * ({@link MappedRingMemory#cmdqState()}), each issuing thread records its steps in a claim record of its
 * own lease ({@link ClaimRecorder}), and a thread whose wait stalls repairs dead producers
 * ({@link DeadProducerRepair}) — see the package documentation for what is recovered and within which
 * bound.
 *
 * <pre>
 *   process A: MappedLinuxIssuer.join(file)  ─┐
 *   process B: MappedLinuxIssuer.join(file)  ─┼─  llq, owner_prod, lock, valid map, leases, records
 *   process C: QueueConsumer (the device)    ─┘   in one MAP_SHARED file
 * </pre>
 *
 * <p>Guarantees are those of {@link LinuxCmdqIssuer}, plus: a producer that dies at any instruction
 * outside the windows the package documentation names costs the survivors at most the repair delay
 * ({@link #DEFAULT_SCAN_INTERVAL_NS} after their wait stalls), and its slots reach the device either as
 * the commands it wrote and published or as no-op completions.
 */
public final class MappedLinuxIssuer implements CommandIssuer
{
    /** Least time between two scans for dead producers in one process. */
    public static final long DEFAULT_SCAN_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LinuxCmdqIssuer issuer;
    private final ClaimRecorder recorder;
    private final DeadProducerRepair repair;

    /**
     * Test seam: the lease word and a decorator of the journal (to stop or abandon a call at a step).
     */
    MappedLinuxIssuer(
        final MappedRingMemory memory,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait,
        final long leaseWord,
        final long scanIntervalNs,
        final UnaryOperator<ClaimJournal> decorate)
    {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(wait, "wait");
        final SharedCmdqState state = SharedCmdqState.join(memory.cmdqState(), memory.log2Size());
        this.repair = new DeadProducerRepair(memory, state, completion);
        this.recorder = new ClaimRecorder(memory.leases(), new ClaimRecords(memory.claimRecords()), repair, leaseWord,
            memory.log2Size(), wait.clock(), scanIntervalNs);
        // Every wait of the issuer backs off through this policy's idle strategy: each thread's strategy is
        // the caller's own (created on that thread by the caller's policy), told to the recorder after each round.
        final WaitPolicy repairing = new WaitPolicy(
            wait.timeoutNs(), () -> new RepairingIdleStrategy(wait.idle(), recorder), wait.clock());
        this.issuer = new LinuxCmdqIssuer(memory, memory.registers(), completion, completionWait, repairing, state,
            decorate.apply(recorder));
    }

    /**
     * Joins the queue of a ring file (whoever created the file initialised its state: a new file's
     * zeroed state is PROD = CONS = 0).
     *
     * @param memory         the mapped ring file, 2^{@value LinuxCmdqIssuer#MIN_LOG2_SIZE} entries or more;
     *                       retained until close.
     * @param completion     how completion entries are written (also the repair's no-ops).
     * @param completionWait how sync callers wait.
     * @param wait           back-off and bound of every wait.
     * @return the issuer, to be closed by the caller (which also gives back its threads' leases).
     * @throws IllegalArgumentException naming {@code log2Size} when the ring is too small.
     */
    public static MappedLinuxIssuer join(
        final MappedRingMemory memory,
        final CompletionEntry completion,
        final CompletionWait completionWait,
        final WaitPolicy wait)
    {
        return new MappedLinuxIssuer(memory, completion, completionWait, wait,
            ProducerLeases.holderWord(ProcessHandle.current()), DEFAULT_SCAN_INTERVAL_NS, UnaryOperator.identity());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int issue(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        return issuer.issue(commands, offset, count, sync);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return issuer.name() + "-mapped";
    }

    /**
     * @return true once a critical wait ran out (see {@link LinuxCmdqIssuer#isBroken()}).
     */
    public boolean isBroken()
    {
        return issuer.isBroken();
    }

    /**
     * @return dead producers whose repair this process finished.
     */
    public long repairs()
    {
        return repair.repairs();
    }

    /**
     * Looks for dead producers now and repairs what they left (a waiting caller does the same on its own
     * after its wait stalls; a supervisor may call this periodically). Takes a lease for the calling
     * thread if it has none. Not for the hot path: it asks the OS about every lease holder.
     *
     * @return true when something was repaired.
     */
    public boolean repairDeadProducers()
    {
        return repair.repair(recorder.threadLease());
    }

    /**
     * @return the underlying issuer, for diagnostics.
     */
    LinuxCmdqIssuer issuer()
    {
        return issuer;
    }

    /**
     * Closes the issuer and gives back the leases of its threads. Call once they stopped issuing.
     */
    @Override
    public void close()
    {
        issuer.close();
        recorder.close();
    }
}
