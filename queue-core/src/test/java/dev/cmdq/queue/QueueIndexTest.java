package dev.cmdq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * QueueIndex against an independent model: a position is a plain counter modulo {@code 2^(L+1)}
 * (computed by unsigned division, not by masks), and everything is derived from "entries outstanding"
 * {@code u = (prod - cons) mod 2^(L+1)}: empty is {@code u == 0}, full is {@code u == 2^L}, free space
 * is {@code 2^L - u}; "consumed past p" is {@code 1 <= (cons - p) mod 2^(L+1) <= 2^L}.
 */
class QueueIndexTest
{
    private static final int ERR = 0x7F << 24;

    /** The model. */
    private static final class Model
    {
        final int log2Size;
        final int cap;
        final int positions;

        Model(final int log2Size)
        {
            this.log2Size = log2Size;
            this.cap = 1 << log2Size;
            this.positions = 2 * cap;
        }

        int pos(final int value)
        {
            return Integer.remainderUnsigned(value, positions);
        }

        int index(final int value)
        {
            return pos(value) % cap;
        }

        int wrap(final int value)
        {
            return pos(value) >= cap ? cap : 0;
        }

        int outstanding(final int prod, final int cons)
        {
            return Math.floorMod(pos(prod) - pos(cons), positions);
        }

        boolean valid(final int prod, final int cons)
        {
            return outstanding(prod, cons) <= cap;
        }

        boolean consumedPast(final int cons, final int p)
        {
            final int d = Math.floorMod(pos(cons) - pos(p), positions);
            return d >= 1 && d <= cap;
        }

        int advance(final int value, final int n)
        {
            return (value < 0 ? Integer.MIN_VALUE : 0) | ((pos(value) + n) % positions);
        }

        /** The kernel's queue_has_space formula as smmuv3-cmdq.md §1.1 states it (meaningful for invalid states too). */
        int kernelSpace(final int prod, final int cons)
        {
            return wrap(prod) == wrap(cons) ? cap - (index(prod) - index(cons)) : index(cons) - index(prod);
        }
    }

    /** Bits that the comparisons must ignore: none, OVF, ERR, both, and junk between WRAP and ERR. */
    private static int[] extras(final int log2Size)
    {
        final List<Integer> list = new ArrayList<>(List.of(0, QueueIndex.OVERFLOW_BIT, ERR, QueueIndex.OVERFLOW_BIT | ERR));
        if (log2Size + 1 < 24)
        {
            list.add(1 << (log2Size + 1));
            list.add((0xFFFFFF >>> (log2Size + 1)) << (log2Size + 1));
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void check(final Model m, final int prod, final int cons)
    {
        final int l = m.log2Size;
        final String at = "L=" + l + " prod=0x" + Integer.toHexString(prod) + " cons=0x" + Integer.toHexString(cons);
        if (QueueIndex.isEmpty(prod, cons, l) != (m.outstanding(prod, cons) == 0))
        {
            fail("isEmpty " + at);
        }
        if (QueueIndex.isFull(prod, cons, l) != (m.outstanding(prod, cons) == m.cap))
        {
            fail("isFull " + at);
        }
        if (QueueIndex.consumedPast(cons, prod, l) != m.consumedPast(cons, prod))
        {
            fail("consumedPast " + at);
        }
        if (QueueIndex.distance(cons, prod, l) != m.outstanding(prod, cons))
        {
            fail("distance " + at);
        }
        final int space = QueueIndex.freeSpace(prod, cons, l);
        if (m.valid(prod, cons))
        {
            final int u = m.outstanding(prod, cons);
            if (space != m.cap - u)
            {
                fail("freeSpace " + at + " got " + space + " model " + (m.cap - u));
            }
            if (QueueIndex.used(prod, cons, l) != u)
            {
                fail("used " + at);
            }
            for (final int n : new int[] {0, 1, m.cap - u, m.cap - u + 1, m.cap})
            {
                if (QueueIndex.hasSpace(prod, cons, n, l) != (n <= m.cap - u))
                {
                    fail("hasSpace n=" + n + " " + at);
                }
            }
        }
        else if (space != m.kernelSpace(prod, cons))
        {
            fail("freeSpace (impossible state) " + at + " got " + space + " kernel formula " + m.kernelSpace(prod, cons));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void everyProdConsPairAgreesWithTheCounterModel(final int log2Size)
    {
        final Model m = new Model(log2Size);
        final int[] extras = extras(log2Size);
        int checked = 0;
        for (int p = 0; p < m.positions; p++)
        {
            for (int c = 0; c < m.positions; c++)
            {
                for (final int xp : extras)
                {
                    for (final int xc : extras)
                    {
                        check(m, p | xp, c | xc);
                        checked++;
                    }
                }
            }
        }
        assertEquals(m.positions * m.positions * extras.length * extras.length, checked);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void fieldsAndAdvanceOfEveryValueAgreeWithTheModel(final int log2Size)
    {
        final Model m = new Model(log2Size);
        for (int v = 0; v < m.positions; v++)
        {
            for (final int x : extras(log2Size))
            {
                final int value = v | x;
                assertEquals(m.index(value), QueueIndex.index(value, log2Size));
                assertEquals(m.wrap(value), QueueIndex.wrap(value, log2Size));
                assertEquals(value & Integer.MIN_VALUE, QueueIndex.overflow(value));
                for (int n = 0; n <= m.cap; n++)
                {
                    assertEquals(m.advance(value, n), QueueIndex.advance(value, n, log2Size),
                        "advance 0x" + Integer.toHexString(value) + " by " + n);
                }
            }
        }
    }

    private static int[] edges(final int cap)
    {
        return new int[] {0, 1, cap - 1, cap, cap + 1, 2 * cap - 1};
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 8, 10, 12, 15, 16, 17, 18, 19})
    void largeRingsAtTheEdges(final int log2Size)
    {
        final Model m = new Model(log2Size);
        for (final int p : edges(m.cap))
        {
            for (final int c : edges(m.cap))
            {
                for (final int xp : extras(log2Size))
                {
                    for (final int xc : extras(log2Size))
                    {
                        check(m, p | xp, c | xc);
                    }
                }
            }
            for (final int n : edges(m.cap))
            {
                if (n <= m.cap)
                {
                    assertEquals(m.advance(p | ERR | QueueIndex.OVERFLOW_BIT, n),
                        QueueIndex.advance(p | ERR | QueueIndex.OVERFLOW_BIT, n, log2Size));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 19})
    void wrapFlipsOnCarryAndBit31IsKept(final int log2Size)
    {
        final int cap = 1 << log2Size;
        assertEquals(cap, QueueIndex.advance(cap - 1, 1, log2Size), "index carries into WRAP");
        assertEquals(0, QueueIndex.advance(2 * cap - 1, 1, log2Size), "WRAP carries out and is dropped");
        assertEquals(cap | 3 % cap, QueueIndex.advance(3 % cap, cap, log2Size), "a whole ring flips WRAP only");
        assertEquals(Integer.MIN_VALUE | cap, QueueIndex.advance(Integer.MIN_VALUE | (cap - 1), 1, log2Size));
        assertEquals(Integer.MIN_VALUE, QueueIndex.advance(Integer.MIN_VALUE | (2 * cap - 1), 1, log2Size));
        assertEquals(1, QueueIndex.advance(ERR, 1, log2Size), "ERR is cleared, as queue_inc_prod_n does");
    }

    @Test
    void wrapIsTheRawBit()
    {
        assertEquals(8, QueueIndex.wrap(8 | 5, 3));
        assertEquals(0, QueueIndex.wrap(16 | 5, 3));
        assertEquals(5, QueueIndex.index(8 | 5, 3));
    }

    @Test
    void sizesAndMasks()
    {
        for (int l = QueueIndex.MIN_LOG2_SIZE; l <= QueueIndex.MAX_LOG2_SIZE; l++)
        {
            final int cap = (int)Math.pow(2, l);
            assertEquals(cap, QueueIndex.capacity(l));
            assertEquals(cap - 1, QueueIndex.indexMask(l));
            assertEquals(2 * cap - 1, QueueIndex.wrapIndexMask(l));
            assertEquals(l, QueueIndex.checkLog2Size(l));
        }
    }

    @Test
    void log2SizeOutsideOneToNineteenIsRejectedNamingIt()
    {
        IntStream.of(0, -1, 20, 31, Integer.MIN_VALUE).forEach(l ->
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueueIndex.checkLog2Size(l));
            assertTrue(e.getMessage().contains("log2Size=" + l), e.getMessage());
        });
    }
}
