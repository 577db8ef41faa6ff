package dev.cmdq.bench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.vcmdq.hw.CommandExecution;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ledger's attribution, from a table typed from the SMMUv3 command formats (opcode in dword 0 bits 7:0,
 * VMID in bits 47:32 of the TLBI commands, StreamID in bits 63:32 of CFGI / ATC_INV / PREFETCH): each
 * command lands on exactly the books of the owner it names, settlement takes and zeroes them, what
 * names no owner is left over, the tap forwards every command and allocates nothing, and settling while
 * the engine executes loses no count.
 */
class ExecutionLedgerTest
{
    private static final int SMMU = 1;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,          opcode, owner kind (VMID = guest VMID books, VMALL = host's, PSID, NONE = no owner's)
        "TLBI_NH_ALL,     0x10, VMID",
        "TLBI_NH_ASID,    0x11, VMID",
        "TLBI_NH_VA,      0x12, VMID",
        "TLBI_NH_VAA,     0x13, VMID",
        "TLBI_S2_IPA,     0x2A, VMID",
        "TLBI_S12_VMALL,  0x28, VMALL",
        "PREFETCH_CFG,    0x01, PSID",
        "PREFETCH_ADDR,   0x02, PSID",
        "CFGI_STE,        0x03, PSID",
        "CFGI_STE_RANGE,  0x04, PSID",
        "CFGI_CD,         0x05, PSID",
        "CFGI_CD_ALL,     0x06, PSID",
        "ATC_INV,         0x40, PSID",
        "TLBI_EL2_ALL,    0x20, NONE",
        "TLBI_NSNH_ALL,   0x30, NONE",
        "PRI_RESP,        0x41, NONE",
        "unknown 0x00,    0x00, NONE",
    })
    void eachCommandLandsOnTheBooksOfTheOwnerItNames(final String name, final String opcode, final String kind)
    {
        final ExecutionLedger ledger = new ExecutionLedger(2);
        final AtomicLong forwarded = new AtomicLong();
        final CommandExecution tap = ledger.tap(SMMU, (d0, d1) ->
        {
            forwarded.incrementAndGet();
            return 0;
        });
        final int vmid = 7;
        final long psid = 0x455;
        // both fields set at once: the opcode alone decides which one is read
        final long dword0 = Long.decode(opcode) | (long)vmid << 32 | psid << 32;
        tap.execute(dword0, 0);
        tap.execute(dword0, 0);
        assertEquals(2, forwarded.get(), name + " forwarded");
        final long vmidField = (dword0 >>> 32) & 0xFFFF;
        final long sidField = dword0 >>> 32;
        switch (kind)
        {
            case "VMID" -> assertEquals(2, ledger.settleVmid(SMMU, (int)vmidField), name);
            case "VMALL" -> assertEquals(2, ledger.settleHostVmall(SMMU, (int)vmidField), name);
            case "PSID" -> assertEquals(2, ledger.settlePsid(SMMU, sidField), name);
            default ->
            {
                assertEquals(2, ledger.leftover(), name);
                assertTrue(ledger.describeLeftover().contains("smmu 1: 2 unowned, last dword0=0x" + Long.toHexString(dword0)),
                    ledger.describeLeftover());
                return;
            }
        }
        assertEquals(0, ledger.leftover(), name + ": settled means zeroed, and nothing else was touched");
    }

    @Test
    void syncsAreNotCountedAndSmmusKeepSeparateBooks()
    {
        final ExecutionLedger ledger = new ExecutionLedger(2);
        final CommandExecution tap0 = ledger.tap(0, (d0, d1) -> 0);
        final CommandExecution tap1 = ledger.tap(1, (d0, d1) -> 0);
        tap0.execute(0x46, 0);                        // CMD_SYNC
        tap0.execute(0x11 | 3L << 32, 0);             // TLBI_NH_ASID, VMID 3, on SMMU 0
        tap1.execute(0x40 | 0x500L << 32, 52);        // ATC_INV, SID 0x500, on SMMU 1
        assertEquals(0, ledger.settleVmid(1, 3), "SMMU 1 executed no TLBI of VMID 3");
        assertEquals(0, ledger.settlePsid(0, 0x500), "SMMU 0 executed no ATC_INV of SID 0x500");
        assertEquals(2, ledger.leftover());
        assertTrue(ledger.describeLeftover().contains("smmu 0 vmid 3: 1;"), ledger.describeLeftover());
        assertTrue(ledger.describeLeftover().contains("smmu 1 psid 0x500: 1;"), ledger.describeLeftover());
        assertEquals(1, ledger.settleVmid(0, 3));
        assertEquals(0, ledger.settleVmid(0, 3), "a second settlement finds zeroed books");
        assertEquals(1, ledger.settlePsid(1, 0x500));
        assertEquals(0, ledger.leftover());
        assertEquals("", ledger.describeLeftover());
    }

    @Test
    void aStreamIdBeyondTheBooksIsUnownedAndBadArgumentsAreRefusedByName()
    {
        final ExecutionLedger ledger = new ExecutionLedger(1);
        ledger.tap(0, (d0, d1) -> 0).execute(0x40 | (long)ExecutionLedger.PSID_SPACE << 32, 0);
        assertEquals(1, ledger.leftover());
        assertTrue(ledger.describeLeftover().contains("1 unowned"), ledger.describeLeftover());
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> ledger.settlePsid(0, ExecutionLedger.PSID_SPACE))
            .getMessage().startsWith("psid=0x100000"));
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> ledger.settleVmid(0, 1 << 16))
            .getMessage().startsWith("vmid=65536"));
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> ledger.tap(1, (d0, d1) -> 0))
            .getMessage().startsWith("smmu=1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ExecutionLedger(0)).getMessage().startsWith("smmus=0"));
    }

    @Test
    void theTapForwardsTheTargetsResultAndAllocatesNothingOnceWarm()
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        final ExecutionLedger ledger = new ExecutionLedger(2);
        final CommandExecution tap = ledger.tap(0, (d0, d1) -> (int)(d1 & 0x7F));
        assertEquals(0x2A, tap.execute(0x40 | 0x401L << 32, 0x2A), "the target's CERROR is returned unchanged");
        final long[] sink = new long[1];
        final Runnable loop = () ->
        {
            for (int i = 0; i < 1000; i++)
            {
                sink[0] += tap.execute(0x11 | (long)(i & 0xF) << 32, 0);
                sink[0] += tap.execute(0x40 | (long)(0x400 + (i & 0xF)) << 32, 0);
                sink[0] += tap.execute(0x46, 0);
            }
        };
        assertEquals(0, AllocationProbe.bytesOnceWarm(loop, 100, 3));
        assertTrue(ledger.leftover() > 0);
    }

    @Test
    @Tag("stress")
    void settlementWhileTheEngineExecutesLosesNoCount() throws InterruptedException
    {
        // The engine thread counts while a worker settles the same owner again and again: every settlement
        // takes and zeroes in one step, so the settled amounts add up to exactly what executed.
        final long ops = Long.getLong("cmdq.stress.ops", 1_000_000);
        final ExecutionLedger ledger = new ExecutionLedger(1);
        final CommandExecution tap = ledger.tap(0, (d0, d1) -> 0);
        final AtomicBoolean done = new AtomicBoolean();
        final Thread engine = new Thread(() ->
        {
            for (long i = 0; i < ops; i++)
            {
                tap.execute(0x11 | 9L << 32, 0);
            }
            done.set(true);
        }, "ledger-engine");
        engine.start();
        long settled = 0;
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (!done.get())
        {
            final long n = ledger.settleVmid(0, 9);
            settled += n;
            idle.idle(n > 0 ? 1 : 0);
        }
        engine.join(TimeUnit.SECONDS.toMillis(60));
        settled += ledger.settleVmid(0, 9);
        assertEquals(ops, settled);
        assertEquals(0, ledger.leftover());
    }
}
