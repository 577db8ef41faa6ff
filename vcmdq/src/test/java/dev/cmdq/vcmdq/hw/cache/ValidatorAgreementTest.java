package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeMap;

import dev.cmdq.queue.CommandError;
import dev.cmdq.smmu.validate.CommandValidator;
import dev.cmdq.smmu.validate.QueueKind;
import dev.cmdq.smmu.validate.ReservedBits;
import org.junit.jupiter.api.Test;

/**
 * The cache model and smmu-commands' {@link CommandValidator} (main CMDQ, reserved bits ignored) agree on
 * many random commands of every opcode. The engine validates first and then executes, so a command the
 * validator passes must never be refused by the caches. The caches' model found three CERROR_ILL cases
 * the validator once missed (IHI0070 §4.4.2.5-6 EL3 TLBIs on a Non-secure queue; §4.4.1.1 TG=16K with
 * TTL=1 and NUM=SCALE=0; §4.5.1 ATC_INV Size above 52): each must now occur and be refused by both.
 * Anything the validator refuses for a reason the caches can see (unknown opcode, reserved range
 * encoding, CFGI with SSec, those three) the caches refuse too.
 */
class ValidatorAgreementTest
{
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261123L);

    @Test
    void cachesRefuseExactlyWhatTheValidatorRefusesForReasonsTheyCanSee()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final TreeMap<String, Integer> extra = new TreeMap<>();
        for (int i = 0; i < 200_000; i++)
        {
            final int opcode = random.nextInt(8) == 0 ? random.nextInt(256) : KNOWN[random.nextInt(KNOWN.length)];
            // Mostly small field values, so the interesting encodings (NUM=SCALE=0, TTL, Size > 52) occur.
            long d0 = opcode | (random.nextLong() & ~0xFFL & (random.nextBoolean() ? 0xFFFF_FFFF_FF00_0000L | 0x3FFL : -1L));
            if (random.nextBoolean())
            {
                d0 &= ~(0x1FL << 12 | 0x1FL << 20);
            }
            final long d1 = random.nextBoolean() ? random.nextLong() : random.nextLong() & 0xFFF_F000L | random.nextInt(64) | (long)random.nextInt(16) << 8;
            final int validator = CommandValidator.validate(d0, d1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED);
            final int caches = new SmmuCaches(4, 4, 4).execute(d0, d1);
            assertTrue(validator != CommandError.NONE || caches == CommandError.NONE,
                String.format("caches refuse %016x:%016x, validator accepts it", d0, d1));
            final String reason = documentedExtra(d0, d1);
            if (reason != null)
            {
                assertEquals(CommandError.ILL, validator, reason + String.format(" %016x:%016x", d0, d1));
                extra.merge(reason, 1, Integer::sum);
            }
            if (validator == CommandError.ILL && (seenByCaches(d0, d1) || reason != null))
            {
                assertEquals(CommandError.ILL, caches, String.format("%016x:%016x", d0, d1));
            }
        }
        assertEquals(3, extra.size(), "every once-missed case occurred: " + extra);
    }

    private static final int[] KNOWN = {
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x18, 0x1A, 0x20, 0x21, 0x22, 0x23,
        0x28, 0x2A, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46};

    /** The validator's ILL reasons the caches also look at (field positions from smmuv3-cmdq.md §2.2). */
    private static boolean seenByCaches(final long d0, final long d1)
    {
        final int opcode = (int)(d0 & 0xFF);
        final boolean known = java.util.Arrays.stream(KNOWN).anyMatch(k -> k == opcode);
        final boolean cfgiWithSsec = opcode >= 0x03 && opcode <= 0x06 && (d0 >>> 10 & 1) != 0;
        final boolean ranged = opcode == 0x12 || opcode == 0x13 || opcode == 0x22 || opcode == 0x23 || opcode == 0x2A;
        final boolean reservedRange = ranged && (d1 >>> 10 & 3) != 0 && (d0 >>> 12 & 0x1F) == 0 &&
            (d0 >>> 20 & 0x1F) == 0 && (d1 >>> 8 & 3) == 0;
        return !known || cfgiWithSsec || reservedRange;
    }

    private static String documentedExtra(final long d0, final long d1)
    {
        final int opcode = (int)(d0 & 0xFF);
        if (opcode == 0x18 || opcode == 0x1A)
        {
            return "EL3 TLBI";
        }
        final boolean ranged = opcode == 0x12 || opcode == 0x13 || opcode == 0x22 || opcode == 0x23 || opcode == 0x2A;
        if (ranged && (d1 >>> 10 & 3) == 2 && (d1 >>> 8 & 3) == 1 && (d0 >>> 12 & 0x1F) == 0 && (d0 >>> 20 & 0x1F) == 0)
        {
            return "16K TTL=1 NUM=SCALE=0";
        }
        if (opcode == 0x40 && (d1 & 0x3F) > 52)
        {
            return "ATC_INV Size > 52";
        }
        return null;
    }
}
