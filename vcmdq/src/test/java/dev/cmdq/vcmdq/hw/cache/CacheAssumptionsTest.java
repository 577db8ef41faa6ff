package dev.cmdq.vcmdq.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Every assumption line has a unique {@code area.name} key and a description, and the list cannot be
 * changed by a caller.
 */
class CacheAssumptionsTest
{
    @Test
    void linesAreKeyedUniquelyAndImmutable()
    {
        final Set<String> keys = new HashSet<>();
        for (final String line : CacheAssumptions.all())
        {
            final int colon = line.indexOf(": ");
            assertTrue(colon > 0, line);
            final String key = line.substring(0, colon);
            assertTrue(key.matches("(tlb|atc|cfg|capacity)\\.[a-z0-9-]+"), key);
            assertTrue(keys.add(key), "duplicate " + key);
            assertTrue(line.length() > colon + 10, "described: " + line);
        }
        assertEquals(14, keys.size());
        assertThrows(UnsupportedOperationException.class, () -> CacheAssumptions.all().add("x: y"));
    }
}
