package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.cmdq.queue.CommandError;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The threading rule in use, as the hardware tests will use it: an engine thread is the only writer;
 * after each round it publishes "round r done" with a release store (as an engine publishes CONS past a
 * CMD_SYNC) and waits; the test thread acquires it, reads the counts and the scanning queries while the
 * engine waits, and must see exactly round r's state, computed here by formula. The acquire/release
 * pairs are named in the code (counts: {@code setRelease}/{@code getAcquire}; the handoff:
 * {@code lazySet}/{@code get}); on x86 a run cannot show a reordering, so this checks the protocol and
 * the exact values, not the hardware memory model. Both sides back off (Agrona
 * {@link BackoffIdleStrategy}) and every wait is bounded. Rounds: {@code cmdq.stress.ops / 1000}.
 */
@Tag("stress")
class SmmuCachesCrossThreadTest
{
    private static final long ROUNDS = Math.max(10, Long.getLong("cmdq.stress.ops", 1_000_000) / 1_000);
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int VM_B_PAGES = 16;

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Throwable> engineFailure = new AtomicReference<>();

    @Test
    void countsSeenAfterEachPublishedRoundAreExact() throws InterruptedException
    {
        final SmmuCaches caches = new SmmuCaches(64, 4, 4);
        final Cmd nhAllVmA = Cmd.vmid(Cmd.TLBI_NH_ALL, "TLBI_NH_ALL", 1);
        final Thread engine = new Thread(() -> runEngine(caches, nhAllVmA), "cache-engine");
        engine.setDaemon(true);
        engine.start();

        final IdleStrategy idle = new BackoffIdleStrategy(20, 10, 1_000, 100_000);
        long expectedRemoved = 0;
        for (long r = 1; r <= ROUNDS; r++)
        {
            final long deadline = System.nanoTime() + WAIT_NS;
            idle.reset();
            while (done.get() < r) // acquire: pairs with the engine's lazySet
            {
                assertTrue(System.nanoTime() < deadline, "engine did not finish round " + r);
                assertEquals(null, engineFailure.get());
                idle.idle();
            }
            expectedRemoved += vmAEntries(r);
            final int vmB = (int)Math.min(r, VM_B_PAGES);
            assertEquals(vmB, caches.tlb().size(), "size after round " + r);
            assertEquals(expectedRemoved, caches.tlb().removed(), "removed after round " + r);
            assertEquals(vmB, caches.size(), "total after round " + r);
            // The engine waits for the ack, so the scanning queries are allowed now (a stopped engine).
            assertEquals(0, caches.tlb().countOfVmid(1), "VM A after round " + r);
            assertEquals(vmB, caches.tlb().countOfVmid(2), "VM B after round " + r);
            acked.lazySet(r); // release: the engine may run the next round
        }
        engine.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NS));
        assertFalse(engine.isAlive());
        assertEquals(null, engineFailure.get());
    }

    private void runEngine(final SmmuCaches caches, final Cmd nhAllVmA)
    {
        try
        {
            final IdleStrategy idle = new BackoffIdleStrategy(20, 10, 1_000, 100_000);
            for (long r = 1; r <= ROUNDS; r++)
            {
                // "Devices walk tables": VM A caches vmAEntries(r) pages, VM B one page (16 distinct ones,
                // so from round 16 on its inserts are identical and change nothing).
                for (int i = 0; i < vmAEntries(r); i++)
                {
                    caches.tlb().insert(TlbEntryKind.STAGE1, 1, 1, (long)i << 12, 12, true);
                }
                caches.tlb().insert(TlbEntryKind.STAGE1, 2, 1, (r % VM_B_PAGES) << 12, 12, true);
                if (caches.execute(nhAllVmA.dword0(), nhAllVmA.dword1()) != CommandError.NONE)
                {
                    throw new AssertionError("NH_ALL refused in round " + r);
                }
                done.lazySet(r); // release: publishes everything this round wrote
                final long deadline = System.nanoTime() + WAIT_NS;
                idle.reset();
                while (acked.get() < r)
                {
                    if (System.nanoTime() > deadline)
                    {
                        throw new AssertionError("test thread did not acknowledge round " + r);
                    }
                    idle.idle();
                }
            }
        }
        catch (final Throwable t)
        {
            engineFailure.set(t);
        }
    }

    private static int vmAEntries(final long round)
    {
        return 1 + (int)(round % 7);
    }
}
