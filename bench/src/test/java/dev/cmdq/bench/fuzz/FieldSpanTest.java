package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Field masks, get and set.
 */
class FieldSpanTest
{
    @Test
    void maskGetAndSet()
    {
        final FieldSpan sid = new FieldSpan("SID", 0, 63, 32, FieldSpan.ROLE_SID);
        assertEquals(0xFFFF_FFFF_0000_0000L, sid.mask());
        assertEquals(0x8000_0001L, sid.get(0x8000_0001_0000_0040L));
        assertEquals(0x0000_0007_0000_0040L, sid.set(0x8000_0001_0000_0040L, 7));
        final FieldSpan cs = new FieldSpan("CS", 0, 13, 12, FieldSpan.ROLE_ENUM3);
        assertEquals(0x3000L, cs.mask());
        // a value wider than the field is cut to the field
        assertEquals(0x1046L, cs.set(0x46, 0x5));
        assertEquals(-1L, new FieldSpan("ALL", 1, 63, 0, FieldSpan.ROLE_PLAIN).mask());
    }

    @Test
    void badRangesAreRefusedWithTheirName()
    {
        assertEquals("X: bad bit range 3:4",
            assertThrows(IllegalArgumentException.class, () -> new FieldSpan("X", 0, 3, 4, 0)).getMessage());
        assertEquals("Y: dword must be 0 or 1, was 2",
            assertThrows(IllegalArgumentException.class, () -> new FieldSpan("Y", 2, 3, 0, 0)).getMessage());
    }
}
