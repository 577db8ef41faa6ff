package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Cached ordinal lookups of {@link FuzzFlavour}, {@link FuzzCorruption} and {@link FuzzCheck} (three
 * one-line enums share this class).
 */
class FuzzEnumsTest
{
    @Test
    void ordinalLookups()
    {
        for (final FuzzFlavour f : FuzzFlavour.values())
        {
            assertEquals(f, FuzzFlavour.of(f.ordinal()));
        }
        for (final FuzzCorruption c : FuzzCorruption.values())
        {
            assertEquals(c, FuzzCorruption.of(c.ordinal()));
        }
        for (final FuzzCheck c : FuzzCheck.values())
        {
            assertEquals(c, FuzzCheck.of(c.ordinal()));
        }
        assertEquals(3, FuzzFlavour.count());
        assertEquals(9, FuzzCorruption.count());
        assertEquals(5, FuzzCheck.count());
        assertEquals(FuzzCheck.PASSED, FuzzCheck.of(0));
    }
}
