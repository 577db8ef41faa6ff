package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The session against a small target written here: a main CMDQ and a guest VCMDQ that obey a few rules
 * (typed from the docs again, lax mode only) and halt until repaired, and that misbehave deliberately in
 * exactly one place per mode. The session must count exactly that one command as failed, for the right
 * check, and everything else as passed.
 */
class FuzzSessionTest
{
    private static final int COMMANDS = 20_000;
    private static final FuzzContext CONTEXT = new FuzzContext(new int[] {5, 0x20, 0x777}, false, FuzzOutcome.ILL);

    /** How the toy target misbehaves. */
    enum Fault
    {
        NONE, WRONG_OUTCOME, DOUBLE_EXECUTION, THROWS, REPAIR_LEAVES_HALTED, REPAIR_REPLAYS
    }

    /**
     * Main CMDQ and guest VCMDQ from smmuv3-cmdq.md §2.1/§2.2 and vcmdq-viommu.md §1.8/§2, lax mode, plus the
     * IHI0070 rules added later (EL3 TLBIs, 16K TTL 1, ATC_INV Size).
     */
    static final class ToyTarget implements FuzzTarget
    {
        // boolean tables, not Set<Integer>: boxing opcodes above 127 would allocate in the zero-allocation test
        private static final boolean[] KNOWN = opcodes(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13,
            0x18, 0x1a, 0x20, 0x21, 0x22, 0x23, 0x28, 0x2a, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46);
        private static final boolean[] WITH_SSEC = opcodes(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x44, 0x45);
        private static final boolean[] WITH_TG = opcodes(0x12, 0x13, 0x1a, 0x22, 0x23, 0x2a);

        private static boolean[] opcodes(final int... ops)
        {
            final boolean[] table = new boolean[256];
            for (final int op : ops)
            {
                table[op] = true;
            }
            return table;
        }

        private final Fault fault;
        private final boolean[] halted = new boolean[FuzzQueueKind.count()];
        private final long[] executed = new long[FuzzQueueKind.count()];
        private long calls;
        private boolean faulted;
        private long lastGood;

        ToyTarget(final Fault fault)
        {
            this.fault = fault;
        }

        private boolean faultNow(final Fault f)
        {
            if (fault == f && !faulted && calls >= 100)
            {
                faulted = true;
                return true;
            }
            return false;
        }

        private static int rule(final FuzzQueueKind kind, final long d0, final long d1)
        {
            final int op = (int)(d0 & 0xff);
            if (!KNOWN[op])
            {
                return FuzzOutcome.ILL;
            }
            if (op == 0x18 || op == 0x1a)
            {
                // TLBI_EL3_*: Secure queue only (IHI0070 §4.4.2.5-6), illegal before any allow-list
                return FuzzOutcome.ILL;
            }
            if (kind == FuzzQueueKind.GUEST_VCMDQ)
            {
                final boolean allowed = op == 0x11 || op == 0x12 || op == 0x40 || op == 0x46 && (d0 & 0x3000) == 0;
                if (!allowed)
                {
                    return FuzzOutcome.ILL_ACCESS;
                }
            }
            if (WITH_SSEC[op] && (d0 & 0x400) != 0)
            {
                return FuzzOutcome.ILL;
            }
            if (WITH_TG[op] && (d1 & 0xc00) != 0 && (d0 & 0x01f1f000L) == 0 && (d1 & 0x300) == 0)
            {
                return FuzzOutcome.ILL;
            }
            // TG = 16K (2), TTL = 1, NUM = SCALE = 0 (IHI0070 §4.4.1.1)
            if (WITH_TG[op] && (d1 & 0xc00) == 0x800 && (d1 & 0x300) == 0x100 && (d0 & 0x01f1f000L) == 0)
            {
                return FuzzOutcome.ILL;
            }
            // ATC_INV Size 5:0 above 52 (IHI0070 §4.5.1)
            if (op == 0x40 && (d1 & 0x3f) > 52)
            {
                return FuzzOutcome.ILL;
            }
            if (kind == FuzzQueueKind.GUEST_VCMDQ && op == 0x40 && !CONTEXT.owns(d0 >>> 32))
            {
                return FuzzOutcome.ILL_ACCESS;
            }
            return FuzzOutcome.NONE;
        }

        @Override
        public int submit(final FuzzQueueKind kind, final long d0, final long d1)
        {
            // the session's probe after a repair is never the faulty command, so each fault hits a fuzzed one
            final boolean probe = d0 == FuzzSession.PROBE_DWORD0 && d1 == FuzzSession.PROBE_DWORD1;
            calls += probe ? 0 : 1;
            final int k = kind.ordinal();
            if (halted[k])
            {
                throw new IllegalStateException("submit on halted " + kind);
            }
            if (!probe && faultNow(Fault.THROWS))
            {
                throw new IllegalStateException("deliberate");
            }
            int outcome = rule(kind, d0, d1);
            if (!probe && faultNow(Fault.WRONG_OUTCOME))
            {
                outcome = outcome == FuzzOutcome.NONE ? FuzzOutcome.ILL : FuzzOutcome.NONE;
            }
            if (outcome == FuzzOutcome.NONE)
            {
                executed[k] += !probe && faultNow(Fault.DOUBLE_EXECUTION) ? 2 : 1;
                lastGood = d0;
            }
            else
            {
                halted[k] = true;
            }
            return outcome;
        }

        @Override
        public boolean repairAndAcknowledge(final FuzzQueueKind kind)
        {
            if (faultNow(Fault.REPAIR_LEAVES_HALTED))
            {
                return true;
            }
            if (faultNow(Fault.REPAIR_REPLAYS) && lastGood != 0)
            {
                executed[kind.ordinal()]++;
            }
            halted[kind.ordinal()] = false;
            return true;
        }

        @Override
        public long executed(final FuzzQueueKind kind)
        {
            return executed[kind.ordinal()];
        }
    }

    private static FuzzReport run(final Fault fault)
    {
        final FuzzCommandGenerator generator = new FuzzCommandGenerator(2026, 1, 1, 2, CONTEXT);
        final FuzzSession session = new FuzzSession(generator, new CerrorOracle(), CONTEXT,
            FuzzQueueKind.MAIN_CMDQ, FuzzQueueKind.GUEST_VCMDQ);
        return session.run(new ToyTarget(fault), COMMANDS, new FuzzReport(2026, COMMANDS, 1, 1, 2, CONTEXT));
    }

    @Test
    void aTargetThatObeysTheRulesPassesEveryCommandAndRecoversEveryHalt()
    {
        final FuzzReport report = run(Fault.NONE);
        assertEquals(COMMANDS, report.passed(), report.toText());
        assertEquals(0, report.failed());
        long halts = 0;
        for (final FuzzQueueKind k : new FuzzQueueKind[] {FuzzQueueKind.MAIN_CMDQ, FuzzQueueKind.GUEST_VCMDQ})
        {
            halts += report.predicted(k, FuzzOutcome.ILL) + report.predicted(k, FuzzOutcome.ILL_ACCESS);
        }
        assertTrue(halts > COMMANDS / 4, "halts: " + halts);
        assertEquals(halts, report.recoveries(FuzzQueueKind.MAIN_CMDQ) + report.recoveries(FuzzQueueKind.GUEST_VCMDQ));
        assertTrue(report.predicted(FuzzQueueKind.GUEST_VCMDQ, FuzzOutcome.ILL_ACCESS) > 0);
        assertTrue(report.toText().endsWith(COMMANDS + " passed, 0 failed"), report.toText());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void oneDeliberateMisbehaviourIsOneFailureOfTheRightCheck(final Fault fault)
    {
        final FuzzReport report = run(fault);
        assertEquals(1, report.failed(), report.toText());
        assertEquals(COMMANDS - 1, report.passed());
        final FuzzCheck expected;
        switch (fault)
        {
            case WRONG_OUTCOME:
                expected = FuzzCheck.WRONG_OUTCOME;
                break;
            case DOUBLE_EXECUTION:
                expected = FuzzCheck.WRONG_EXECUTION_COUNT;
                break;
            case THROWS:
                expected = FuzzCheck.EXCEPTION;
                break;
            default:
                expected = FuzzCheck.NO_RECOVERY;
                break;
        }
        assertEquals(1, report.count(expected), report.toText());
        assertEquals(1, report.sampleCount());
        assertTrue(report.sample(0).contains(": " + expected), report.sample(0));
        assertTrue(report.toText().endsWith((COMMANDS - 1) + " passed, 1 failed"));
    }

    @Test
    void theSessionLoopAllocatesNothingWhileEveryCheckPasses()
    {
        assertTrue(ThreadAllocation.isSupported(), "per-thread allocation counter needed");
        final FuzzCommandGenerator generator = new FuzzCommandGenerator(5, 1, 1, 2, CONTEXT);
        final FuzzSession session = new FuzzSession(generator, new CerrorOracle(), CONTEXT,
            FuzzQueueKind.MAIN_CMDQ, FuzzQueueKind.GUEST_VCMDQ);
        final ToyTarget target = new ToyTarget(Fault.NONE);
        final FuzzReport report = new FuzzReport(5, 0, 1, 1, 2, CONTEXT);
        final Runnable block = () -> session.run(target, 5_000, report);
        for (int i = 0; i < 50; i++)
        {
            block.run();
        }
        assertEquals(0, ThreadAllocation.bytesOnceWarmBestOf(3, block, 200, 20));
        assertEquals(0, report.failed());
        assertTrue(report.passed() >= 5_000 * 53L);
    }

    @Test
    void badArgumentsAreRefused()
    {
        final FuzzCommandGenerator generator = new FuzzCommandGenerator(5, 1, 1, 2, CONTEXT);
        assertEquals("kinds: at least one queue kind needed", assertThrows(IllegalArgumentException.class,
            () -> new FuzzSession(generator, new CerrorOracle(), CONTEXT)).getMessage());
        final FuzzSession session = new FuzzSession(generator, new CerrorOracle(), CONTEXT, FuzzQueueKind.MAIN_CMDQ);
        assertEquals("commands: must be >= 0, was -1", assertThrows(IllegalArgumentException.class,
            () -> session.run(new ToyTarget(Fault.NONE), -1, new FuzzReport(5, 0, 1, 1, 2, CONTEXT))).getMessage());
    }
}
