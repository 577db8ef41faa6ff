package dev.cmdq.queue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MappedQueueRegistersTest
{
    @Test
    void layoutIsFourWords128BytesApart()
    {
        assertEquals(0, MappedQueueRegisters.PROD_OFFSET);
        assertEquals(128, MappedQueueRegisters.CONS_OFFSET);
        assertEquals(256, MappedQueueRegisters.GERROR_OFFSET);
        assertEquals(384, MappedQueueRegisters.GERRORN_OFFSET);
        assertEquals(512, MappedQueueRegisters.LENGTH);
    }

    @Test
    void eachRegisterIsItsOwnWordAndNothingElseChanges()
    {
        final MappedQueueRegisters r = MappedQueueRegisters.allocate();
        assertEquals(0, r.words().addressOffset() % 128, "own cache-line pair");
        final int[] offsets = {0, 128, 256, 384};
        for (int which = 0; which < 4; which++)
        {
            final int value = 0xA5A5_0000 | which;
            switch (which)
            {
                case 0: r.putProdRelease(value); assertEquals(value, r.getProdAcquire()); break;
                case 1: r.putConsRelease(value); assertEquals(value, r.getConsAcquire()); break;
                case 2: r.putGerrorRelease(value); assertEquals(value, r.getGerrorAcquire()); break;
                default: r.putGerrornRelease(value); assertEquals(value, r.getGerrornAcquire()); break;
            }
            for (int i = 0; i < MappedQueueRegisters.LENGTH; i += 4)
            {
                final int expected = i == offsets[which] ? value : 0;
                assertEquals(expected, r.words().getInt(i), "word " + i + " after writing register " + which);
            }
            r.words().setMemory(0, MappedQueueRegisters.LENGTH, (byte)0);
        }
        r.close();
    }

    @Test
    void wrapViewsABlockInsideAnotherBuffer()
    {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final MappedQueueRegisters r = MappedQueueRegisters.wrap(page, 1024);
        r.putConsRelease(7);
        r.putGerrornRelease(9);
        assertEquals(7, page.getInt(1024 + 128));
        assertEquals(9, page.getInt(1024 + 384));
        page.putInt(1024, 5);
        assertEquals(5, r.getProdAcquire());
        r.close();
        assertThrows(IllegalStateException.class, r::getProdAcquire);
        assertEquals(5, page.getInt(1024), "closing a view does not touch the page");
        assertDoesNotThrow(() -> MappedQueueRegisters.wrap(page, 4096 - 512).close(), "last block that fits");
    }

    @Test
    void wrapRejectsBadOffsetsNamingThem()
    {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        for (final int offset : new int[] {-8, 4, 4096 - 512 + 8, 4096, Integer.MAX_VALUE - 7})
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MappedQueueRegisters.wrap(page, offset));
            assertTrue(e.getMessage().contains("offset=" + offset), e.getMessage());
        }
        // An 8-aligned offset inside a buffer whose own address is misaligned is still a misaligned block.
        final UnsafeBuffer shifted = new UnsafeBuffer(page, 4, 1024);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> MappedQueueRegisters.wrap(shifted, 8));
        assertTrue(e.getMessage().contains("offset=8"), e.getMessage());
        MappedQueueRegisters.wrap(shifted, 4).close();
    }

    @Test
    void closeFreesOnceAndLaterAccessThrows()
    {
        final MappedQueueRegisters r = MappedQueueRegisters.allocate();
        r.putProdRelease(1);
        // Regression: close() used to throw "duplicate or slice" from the JDK cleaner.
        assertDoesNotThrow(r::close);
        assertDoesNotThrow(r::close);
        // Every register, read and write: the raw-address path must be guarded as the buffer view was.
        final java.util.List<org.junit.jupiter.api.function.Executable> accesses = java.util.List.of(
            r::getProdAcquire, () -> r.putProdRelease(1),
            r::getConsAcquire, () -> r.putConsRelease(1),
            r::getGerrorAcquire, () -> r.putGerrorRelease(1),
            r::getGerrornAcquire, () -> r.putGerrornRelease(1));
        for (final org.junit.jupiter.api.function.Executable access : accesses)
        {
            final IllegalStateException e = assertThrows(IllegalStateException.class, access);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        assertEquals(0, r.words().capacity(), "the raw view collapses too");
    }

    @Test
    void wrapsOnHeapMemoryToo()
    {
        // Test doubles and jcstress states keep their register words in a byte[]: the same accessors work.
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[1024]);
        final MappedQueueRegisters r = MappedQueueRegisters.wrap(heap, 512);
        r.putProdRelease(3);
        r.putGerrorRelease(4);
        assertEquals(3, heap.getInt(512));
        assertEquals(4, heap.getInt(512 + 256));
        heap.putInt(512 + 128, 6);
        assertEquals(6, r.getConsAcquire());
        r.close();
        assertThrows(IllegalStateException.class, r::getConsAcquire);
    }
}
