package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.testkit.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate in front of an SMMU's caches: it forwards and counts, refuses re-entry by name, allocates
 * nothing warm, and really excludes — an "engine" thread executing and a "test" thread accessing never
 * overlap (each side checks, inside the gate, that the other is not inside).
 */
class ExecutionGateTest
{
    private static final int ROUNDS = (int)Math.max(2000, Long.getLong("cmdq.stress.ops", 1_000_000) / 100);

    @Test
    void forwardsEveryCommandAndCountsSyncs()
    {
        final CommandLog log = new CommandLog();
        final ExecutionGate gate = new ExecutionGate(3, log);
        assertEquals(CommandError.NONE, gate.execute(0x11, 0x22));
        assertEquals(CommandError.NONE, gate.execute(0x46, 0));
        assertEquals(CommandError.NONE, gate.execute(0x46 | (1L << 12), 0x1234));
        assertEquals(CommandError.NONE, gate.execute(0x46 | (2L << 12), 0));
        assertEquals(4, log.count);
        assertEquals(0x11, log.dw0[0]);
        assertEquals(0x22, log.dw1[0]);
        assertEquals(4, gate.executed());
        assertEquals(3, gate.syncs());
        assertEquals(2, gate.signalledSyncs(), "CS = IRQ (bits 13:12 = 1) and SEV (2); not CS = NONE");
        final ExecutionGate failing = new ExecutionGate(0, (d0, d1) -> CommandError.ATC_INV_SYNC);
        assertEquals(CommandError.ATC_INV_SYNC, failing.execute(0x46, 0), "the target's CERROR passes through");
        assertEquals(7, (int)gate.query(() -> 7));
    }

    @Test
    void reEntryFromTheHoldingThreadIsRefusedByName()
    {
        final ExecutionGate gate = new ExecutionGate(5, new CommandLog());
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.access(() -> gate.execute(0x11, 0)));
        assertTrue(e.getMessage().contains("smmu 5"), e.getMessage());
        // And it is released afterwards.
        assertEquals(CommandError.NONE, gate.execute(0x11, 0));
    }

    @Test
    void warmExecutionAllocatesNothing()
    {
        final ExecutionGate gate = new ExecutionGate(0, (d0, d1) -> CommandError.NONE);
        final long bytes = AllocationProbe.bytesOnceWarm(() ->
        {
            for (int i = 0; i < 1000; i++)
            {
                gate.execute((i & 1) == 0 ? 0x46 : 0x11, i);
            }
        }, 100, 3);
        assertEquals(0, bytes);
    }

    @Test
    @Tag("stress")
    void theEngineAndAnAccessorNeverOverlap() throws InterruptedException
    {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final ExecutionGate gate = new ExecutionGate(0, (d0, d1) ->
        {
            if (inside.getAndIncrement() != 0)
            {
                overlaps.incrementAndGet();
            }
            inside.decrementAndGet();
            return CommandError.NONE;
        });
        final AtomicBoolean failed = new AtomicBoolean();
        final Thread engine = new Thread(() ->
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                gate.execute(0x11, i);
            }
        }, "engine");
        engine.start();
        for (int i = 0; i < ROUNDS; i++)
        {
            gate.access(() ->
            {
                if (inside.getAndIncrement() != 0)
                {
                    overlaps.incrementAndGet();
                }
                Thread.onSpinWait();
                inside.decrementAndGet();
            });
        }
        engine.join(30_000);
        assertFalse(engine.isAlive() || failed.get());
        assertEquals(0, overlaps.get(), "an access overlapped a command");
        assertEquals(ROUNDS, gate.executed());
    }
}
