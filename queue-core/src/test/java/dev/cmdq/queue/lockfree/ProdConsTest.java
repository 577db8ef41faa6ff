package dev.cmdq.queue.lockfree;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed word against its layout, written out independently (prod = low 32 bits, cons = high,
 * OWNED = bit 31).
 */
class ProdConsTest
{
    @Test
    void layoutIsProdLowConsHighOwnedBit31()
    {
        assertEquals(0x0000_00F0_8000_0105L, ProdCons.pack(0x8000_0105, 0xF0));
        assertEquals(0x8000_0105, ProdCons.prod(0x0000_00F0_8000_0105L));
        assertEquals(0xF0, ProdCons.cons(0x0000_00F0_8000_0105L));
        assertEquals(0x8000_0000, ProdCons.OWNED);
        assertTrue(ProdCons.isOwned(0x8000_0105));
        assertFalse(ProdCons.isOwned(0x105));
        assertEquals(0x105, ProdCons.withoutOwned(0x8000_0105));
        assertEquals("prod=0x105|OWNED cons=0xf0", ProdCons.toString(0x0000_00F0_8000_0105L));
    }

    @Test
    void halvesRoundTripAndReplaceIndependently()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++)
        {
            final int prod = random.nextInt();
            final int cons = random.nextInt();
            final long word = ProdCons.pack(prod, cons);
            assertEquals(prod, ProdCons.prod(word));
            assertEquals(cons, ProdCons.cons(word));
            final int other = random.nextInt();
            assertEquals(other, ProdCons.prod(ProdCons.withProd(word, other)));
            assertEquals(cons, ProdCons.cons(ProdCons.withProd(word, other)));
            assertEquals(other, ProdCons.cons(ProdCons.withCons(word, other)));
            assertEquals(prod, ProdCons.prod(ProdCons.withCons(word, other)));
        }
    }

    @Test
    void addingClearOwnedToAnOwnedWordIsExactlyAndNotOfBit31()
    {
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++)
        {
            final long word = random.nextLong() | 0x8000_0000L;
            final long cleared = word + ProdCons.CLEAR_OWNED;
            assertEquals(word & ~0x8000_0000L, cleared, Long.toHexString(word));
            assertEquals(ProdCons.cons(word), ProdCons.cons(cleared));
        }
    }
}
