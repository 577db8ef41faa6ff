package dev.cmdq.queue.lockfree;

import dev.cmdq.queue.QueueRegisters;
import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssuerFactories;
import dev.cmdq.queue.issue.IssuerStress;
import dev.cmdq.queue.issue.WaitPolicy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negative controls: each deliberately broken variant of Linux's algorithm ({@link Fault}) runs through
 * the same stress check as the real strategies ({@link IssuerStress}: CI size {@code cmdq.stress.ops},
 * fixed seed, 8 producers on 2 cores, 256-entry ring, the real {@code QueueConsumer}) and must be caught
 * within {@value #ATTEMPTS} runs (thread scheduling decides whether a window is hit) — otherwise the
 * suite could not be trusted to catch the race. The correct variant runs under identical
 * conditions and must pass. Runs stop at the first failed check.
 *
 * <p>Not in the list: {@link Fault#SHARED_LOCK_AFTER_PUBLISH} with CONS polling. Once the software CONS
 * only moves forward, that race can only make a CONS-polling waiter wait longer (the ring laps its sync,
 * "consumed past" turns false again until CONS comes round) — never return early — so it is a liveness,
 * not a correctness, fault there; with write-back polling the lapped sync slot is overwritten and the
 * waiter (and every producer needing space behind its shared hold) times out, which is caught.
 */
@Tag("stress")
class LinuxNegativeControlTest
{
    /**
     * Linux's own 1 s bound for every run, broken or correct, so a timeout means what it means in the
     * kernel. (100 ms made the correct variant time out at machine load 8 — 8 producers preempted on 2
     * busy cores — and the run stops at its first failed check, so a broken variant costs at most ~1 s.)
     */
    private static final WaitPolicy WAIT = WaitPolicy.withTimeout(TimeUnit.SECONDS.toNanos(1));
    /** A race window is hit by chance: a broken variant must be caught within this many runs. */
    private static final int ATTEMPTS = 5;
    private static final int PRODUCERS = 8;

    static List<Arguments> faults()
    {
        return List.of(
            Arguments.of(Fault.PROD_BEFORE_VALID, CompletionWait.WRITE_BACK, 1),
            Arguments.of(Fault.OWNER_PROD_BEFORE_PROD, CompletionWait.WRITE_BACK, 1),
            Arguments.of(Fault.SHARED_LOCK_AFTER_PUBLISH, CompletionWait.WRITE_BACK, 1),
            // Rarer window (a refresh while the device has written a completion but not yet moved CONS,
            // and the backward move must cross slot 0): four times the CI size, about a second.
            Arguments.of(Fault.PLAIN_CONS_STORE, CompletionWait.WRITE_BACK, 4));
    }

    @ParameterizedTest(name = "{0}, {1}, {2} x ops")
    @MethodSource("faults")
    void brokenVariantIsCaught(final Fault fault, final CompletionWait completionWait, final int opsFactor)
        throws Exception
    {
        final IssuerFactories.Named broken = FaultyLinuxIssuers.factory(fault.name(), completionWait);
        IssuerStress.Result result = null;
        for (int attempt = 0; attempt < ATTEMPTS && (result == null || result.violations() == 0); attempt++)
        {
            result = new IssuerStress(
                broken.factory(), PRODUCERS, opsFactor * IssuerStress.OPS, IssuerStress.SEED, WAIT, true).run();
            System.out.println(broken + " (run " + (attempt + 1) + "): " + result);
        }

        assertTrue(result.violations() > 0, broken + " was not caught in " + ATTEMPTS + " runs: " + result);
    }

    /**
     * The lock-order fault widens its window with a 200 µs pause; the same pause with the lock taken in
     * the right order must break nothing, so the fault, not the pause, is what the suite catches.
     */
    @Test
    void thePauseAloneWithTheLockTakenFirstBreaksNothing() throws Exception
    {
        final IssuerFactories.Named paused = FaultyLinuxIssuers.factory(Fault.PAUSE_AFTER_PUBLISH.name(), CompletionWait.WRITE_BACK);
        final IssuerStress.Result result =
            new IssuerStress(paused.factory(), PRODUCERS, IssuerStress.OPS, IssuerStress.SEED, WAIT, true).run();

        assertEquals(0, result.violations(), paused + ": " + result);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompletionWait.class)
    void correctVariantPassesTheSameRun(final CompletionWait completionWait) throws Exception
    {
        final IssuerFactories.Named correct = FaultyLinuxIssuers.factory(Fault.NONE.name(), completionWait);
        final IssuerStress.Result result = new IssuerStress(
            correct.factory(), PRODUCERS, 4 * IssuerStress.OPS, IssuerStress.SEED, WAIT, true).run();

        assertEquals(0, result.violations(), correct + ": " + result);
    }

    /**
     * The stress runs exercise what they are meant to: owners gather other callers' batches (fewer PROD
     * writes than calls) and the ring wraps many times.
     */
    @Test
    void stressRunGathersAndWraps() throws Exception
    {
        final AtomicLong prodWrites = new AtomicLong();
        final IssuerFactories.Factory counting = (m, r, c, w) ->
            new LinuxCmdqIssuer(m, new CountingProdWrites(r, prodWrites), c, CompletionWait.WRITE_BACK, w);
        final IssuerStress.Result result =
            new IssuerStress(counting, PRODUCERS, IssuerStress.OPS, IssuerStress.SEED, WAIT, true).run();

        assertEquals(0, result.violations(), result.toString());
        assertTrue(result.calls() > prodWrites.get(), result.calls() + " calls, " + prodWrites.get() + " PROD writes");
        assertTrue(result.commands() > 100L << IssuerStress.LOG2_SIZE, "wrapped more than 100 times: " + result);
    }

    /** Delegating registers that count PROD writes. */
    private record CountingProdWrites(QueueRegisters registers, AtomicLong prodWrites) implements QueueRegisters
    {
        @Override
        public int getProdAcquire()
        {
            return registers.getProdAcquire();
        }

        @Override
        public void putProdRelease(final int value)
        {
            prodWrites.incrementAndGet();
            registers.putProdRelease(value);
        }

        @Override
        public int getConsAcquire()
        {
            return registers.getConsAcquire();
        }

        @Override
        public void putConsRelease(final int value)
        {
            registers.putConsRelease(value);
        }

        @Override
        public int getGerrorAcquire()
        {
            return registers.getGerrorAcquire();
        }

        @Override
        public void putGerrorRelease(final int value)
        {
            registers.putGerrorRelease(value);
        }

        @Override
        public int getGerrornAcquire()
        {
            return registers.getGerrornAcquire();
        }

        @Override
        public void putGerrornRelease(final int value)
        {
            registers.putGerrornRelease(value);
        }
    }
}
