package dev.cmdq.queue.testkit;

import dev.cmdq.queue.CompletionEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestCompletionEntryTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);

    @Test
    void layoutAsDocumented()
    {
        new TestCompletionEntry(0x1234_5678).write(buffer, 16, 0xFEED_0010L);
        assertEquals(0x1234_5678_0000_00C5L, buffer.getLong(16));
        assertEquals(0xFEED_0010L, buffer.getLong(24));
        final TestCompletionEntry format = new TestCompletionEntry(0x1234_5678);
        assertTrue(format.isCompletion(buffer, 16));
        assertEquals(0xFEED_0010L, format.writeBackAddress(buffer, 16));
        assertEquals(0x1234_5678, format.writeBackValue(buffer, 16));
        assertFalse(format.isCompletion(buffer, 0), "a zeroed slot is not a completion");
    }

    @Test
    void writeBackOverTheFirstWordIsVisible()
    {
        final TestCompletionEntry format = new TestCompletionEntry();
        format.write(buffer, 0, CompletionEntry.NO_WRITE_BACK);
        assertEquals(CompletionEntry.NO_WRITE_BACK, format.writeBackAddress(buffer, 0));
        assertTrue(buffer.getInt(0) != TestCompletionEntry.DEFAULT_VALUE);
        buffer.putInt(0, TestCompletionEntry.DEFAULT_VALUE);
        assertEquals(TestCompletionEntry.DEFAULT_VALUE, buffer.getInt(0));
    }

    @Test
    void aValueEqualToTheFirstWordIsRefused()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new TestCompletionEntry(TestCompletionEntry.KIND));
        assertTrue(e.getMessage().contains("value=0xc5"), e.getMessage());
    }
}
