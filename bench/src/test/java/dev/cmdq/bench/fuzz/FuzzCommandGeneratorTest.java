package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator: deterministic per seed, every flavour and every applicable corruption appears,
 * corruptions touch exactly their field, and — the key check between two separately written parts — the
 * outcome each corruption intends is what {@link CerrorOracle} predicts, for the intended reason.
 */
class FuzzCommandGeneratorTest
{
    private static final int COMMANDS = Integer.getInteger("cmdq.fuzz.test.commands", 40_000);

    static Stream<Arguments> contexts()
    {
        return Stream.of(
            Arguments.of("lax, unowned SID -> ILL", new FuzzContext(new int[] {5, 0x20, 0x301, 0xfffff}, false, FuzzOutcome.ILL)),
            Arguments.of("strict, unowned SID -> ILL", new FuzzContext(new int[] {5, 0x20, 0x301}, true, FuzzOutcome.ILL)),
            Arguments.of("lax, unowned SID -> IGNORE", new FuzzContext(new int[] {7}, false, FuzzOutcome.IGNORE)),
            Arguments.of("strict, no devices", new FuzzContext(new int[0], true, FuzzOutcome.ILL)));
    }

    @Test
    void sameSeedSameCommandsOtherSeedOtherCommands()
    {
        final FuzzContext context = new FuzzContext(new int[] {5, 9}, false, FuzzOutcome.ILL);
        final FuzzCommandGenerator a = new FuzzCommandGenerator(42, 1, 1, 2, context);
        final FuzzCommandGenerator b = new FuzzCommandGenerator(42, 1, 1, 2, context);
        final FuzzCommandGenerator c = new FuzzCommandGenerator(43, 1, 1, 2, context);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        int differ = 0;
        for (int i = 0; i < 10_000; i++)
        {
            final FuzzQueueKind kind = FuzzQueueKind.of(i % FuzzQueueKind.count());
            a.next(kind, slot, 0);
            b.next(kind, slot, 0);
            c.next(kind, slot, 0);
            assertEquals(a.dword0(), b.dword0(), "command " + i);
            assertEquals(a.dword1(), b.dword1(), "command " + i);
            assertEquals(a.flavour(), b.flavour());
            assertEquals(a.corruption(), b.corruption());
            assertEquals(a.intendedOutcome(), b.intendedOutcome());
            differ += a.dword0() != c.dword0() || a.dword1() != c.dword1() ? 1 : 0;
        }
        assertTrue(differ > 9_000, "commands differing between seeds 42 and 43: " + differ);
    }

    @Test
    void writesTheWordsLittleEndianAtTheOffset()
    {
        final FuzzCommandGenerator g = new FuzzCommandGenerator(1, 1, 1, 1, new FuzzContext(new int[] {5}, false, FuzzOutcome.ILL));
        final UnsafeBuffer ring = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 100; i++)
        {
            g.next(FuzzQueueKind.MAIN_CMDQ, ring, 32);
            assertEquals(g.dword0(), ring.getLong(32, ByteOrder.LITTLE_ENDIAN));
            assertEquals(g.dword1(), ring.getLong(40, ByteOrder.LITTLE_ENDIAN));
            // the byte at the slot's start is the opcode (dw0 bits 7:0, little-endian)
            assertEquals(g.dword0() & 0xff, ring.getByte(32) & 0xff);
            assertEquals(0, ring.getLong(0));
        }
    }

    @Test
    void badWeightsAreRefused()
    {
        final FuzzContext context = new FuzzContext(new int[0], false, FuzzOutcome.ILL);
        assertEquals("weights must be >= 0 with a positive sum, were random=0 valid=0 corrupted=0",
            assertThrows(IllegalArgumentException.class, () -> new FuzzCommandGenerator(1, 0, 0, 0, context)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FuzzCommandGenerator(1, -1, 2, 0, context));
    }

    @Test
    void applicableCorruptionsPerKind()
    {
        final FuzzCommandGenerator g = new FuzzCommandGenerator(1, 1, 1, 1, new FuzzContext(new int[] {5}, false, FuzzOutcome.ILL));
        assertEquals(EnumSet.of(FuzzCorruption.RESERVED_BIT, FuzzCorruption.BAD_SYNC_CS, FuzzCorruption.RESERVED_RANGE,
            FuzzCorruption.FORBIDDEN_OPCODE, FuzzCorruption.UNKNOWN_OPCODE, FuzzCorruption.UNOWNED_SID),
            EnumSet.copyOf(Set.of(g.corruptionsFor(FuzzQueueKind.GUEST_VCMDQ))));
        final Set<FuzzCorruption> device = EnumSet.allOf(FuzzCorruption.class);
        device.remove(FuzzCorruption.NONE);
        device.remove(FuzzCorruption.FORBIDDEN_OPCODE);
        assertEquals(device, EnumSet.copyOf(Set.of(g.corruptionsFor(FuzzQueueKind.MAIN_CMDQ))));
        assertEquals(device, EnumSet.copyOf(Set.of(g.corruptionsFor(FuzzQueueKind.HOST_VCMDQ))));
        assertEquals(device, EnumSet.copyOf(Set.of(g.corruptionsFor(FuzzQueueKind.TRAPPED_CMDQ))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contexts")
    void everyFlavourAndCorruptionAppearsAndEachCorruptionTouchesOnlyItsField(final String name, final FuzzContext context)
    {
        final FuzzCommandGenerator g = new FuzzCommandGenerator(7, 1, 1, 2, context);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        for (final FuzzQueueKind kind : FuzzQueueKind.values())
        {
            final Set<FuzzCorruption> seen = EnumSet.noneOf(FuzzCorruption.class);
            final Set<FuzzFlavour> flavours = EnumSet.noneOf(FuzzFlavour.class);
            for (int i = 0; i < COMMANDS / 4; i++)
            {
                g.next(kind, slot, 0);
                seen.add(g.corruption());
                flavours.add(g.flavour());
                final long x0 = g.dword0() ^ g.baseDword0();
                final long x1 = g.dword1() ^ g.baseDword1();
                if (g.flavour() == FuzzFlavour.CORRUPTED)
                {
                    final String what = kind + " " + g.corruption() + String.format(" %016x:%016x from %016x:%016x",
                        g.dword0(), g.dword1(), g.baseDword0(), g.baseDword1());
                    assertEquals(0, x0 & ~g.changedMask0(), what);
                    assertEquals(0, x1 & ~g.changedMask1(), what);
                    assertNotEquals(0, x0 | x1, what);
                }
                else
                {
                    assertEquals(0, x0 | x1);
                    assertEquals(FuzzCorruption.NONE, g.corruption());
                }
            }
            assertEquals(EnumSet.allOf(FuzzFlavour.class), flavours, kind.toString());
            final Set<FuzzCorruption> expected = EnumSet.of(FuzzCorruption.NONE);
            expected.addAll(Set.of(g.corruptionsFor(kind)));
            assertEquals(expected, seen, kind.toString());
        }
        long total = 0;
        for (final FuzzFlavour f : FuzzFlavour.values())
        {
            total += g.count(f);
        }
        assertEquals(COMMANDS / 4 * 4, total);
        assertTrue(g.count(FuzzCorruption.SSEC) > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contexts")
    void theOracleAgreesWithEveryIntendedOutcomeForTheIntendedReason(final String name, final FuzzContext context)
    {
        final CerrorOracle oracle = new CerrorOracle();
        final FuzzCommandGenerator g = new FuzzCommandGenerator(11, 1, 2, 4, context);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        int intents = 0;
        for (int i = 0; i < COMMANDS; i++)
        {
            final FuzzQueueKind kind = FuzzQueueKind.of(i % FuzzQueueKind.count());
            g.next(kind, slot, 0);
            final int intent = g.intendedOutcome();
            if (intent == FuzzCommandGenerator.NO_INTENT)
            {
                continue;
            }
            intents++;
            final int verdict = oracle.verdict(kind, g.dword0(), g.dword1(), context);
            final String what = kind + " " + g.flavour() + " " + g.corruption() + String.format(" %016x:%016x", g.dword0(), g.dword1())
                + " oracle " + FuzzVerdict.toString(verdict);
            if (intent == FuzzCommandGenerator.AS_BASE)
            {
                assertEquals(oracle.verdict(kind, g.baseDword0(), g.baseDword1(), context), verdict, what);
                continue;
            }
            assertEquals(FuzzOutcome.name(intent), FuzzOutcome.name(FuzzVerdict.outcome(verdict)), what);
            final int rule = FuzzVerdict.rule(verdict);
            switch (g.corruption())
            {
                case NONE:
                    assertEquals(OracleRule.ACCEPTED, rule, what);
                    break;
                case RESERVED_BIT:
                    assertEquals(OracleRule.RES0_BIT, rule, what);
                    break;
                case SSEC:
                    assertEquals(OracleRule.SSEC, rule, what);
                    break;
                case BAD_SYNC_CS:
                    assertEquals(kind == FuzzQueueKind.GUEST_VCMDQ ? OracleRule.SYNC_CS_NOT_NONE : OracleRule.RESERVED_VALUE, rule, what);
                    break;
                case BAD_PRI_RESP:
                    assertEquals(OracleRule.RESERVED_VALUE, rule, what);
                    break;
                case RESERVED_RANGE:
                    // trapped: forwarded, the host's main CMDQ refuses it for the same reason
                    assertEquals(FuzzVerdict.outcome(verdict) == FuzzOutcome.FORWARD_SKIPPED ?
                        OracleRule.TRAP_HOST_SKIPPED : OracleRule.RESERVED_RANGE, rule, what);
                    break;
                case FORBIDDEN_OPCODE:
                    assertEquals(OracleRule.NOT_ALLOWED, rule, what);
                    break;
                case UNKNOWN_OPCODE:
                    assertEquals(OracleRule.UNKNOWN_OPCODE, rule, what);
                    break;
                case UNOWNED_SID:
                    assertTrue(rule == OracleRule.UNMATCHED_SID || rule == OracleRule.TRAP_UNOWNED_SID
                        || rule == OracleRule.TRAP_NO_DEVICE, what);
                    break;
                default:
                    throw new AssertionError(what);
            }
        }
        assertTrue(intents > COMMANDS / 2, "commands with an intent: " + intents);
    }

    @Test
    void generateAndPredictAllocateNothingOnceWarm()
    {
        assertTrue(ThreadAllocation.isSupported(), "per-thread allocation counter needed");
        final FuzzContext context = new FuzzContext(new int[] {5, 0x20}, true, FuzzOutcome.ILL);
        final FuzzCommandGenerator g = new FuzzCommandGenerator(3, 1, 1, 2, context);
        final CerrorOracle oracle = new CerrorOracle();
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        final long[] sink = new long[1];
        final Runnable block = () ->
        {
            long sum = 0;
            for (int i = 0; i < 10_000; i++)
            {
                final FuzzQueueKind kind = FuzzQueueKind.of(i & 3);
                g.next(kind, slot, 0);
                sum += oracle.verdict(kind, slot.getLong(0, ByteOrder.LITTLE_ENDIAN), slot.getLong(8, ByteOrder.LITTLE_ENDIAN), context);
            }
            sink[0] += sum;
        };
        // Deoptimisation and recompilation while C2 settles charge a few bytes to this thread now and then;
        // a fixed first warm-up lets that pass before the quiet-detection of bytesOnceWarm starts.
        for (int i = 0; i < 50; i++)
        {
            block.run();
        }
        assertEquals(0, ThreadAllocation.bytesOnceWarmBestOf(3, block, 200, 20));
        assertNotEquals(0, sink[0]);
    }
}
