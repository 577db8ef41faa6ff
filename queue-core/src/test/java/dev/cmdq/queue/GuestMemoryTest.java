package dev.cmdq.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestMemoryTest
{
    private static final long BASE = 0x4000_0000L;

    @Test
    void containsIsExactlyTheRegion()
    {
        final GuestMemory ram = GuestMemory.allocate(BASE, 8192);
        assertTrue(ram.contains(BASE, 8192));
        assertTrue(ram.contains(BASE + 8191, 1));
        assertFalse(ram.contains(BASE - 1, 1));
        assertFalse(ram.contains(BASE + 8191, 2));
        assertFalse(ram.contains(BASE + 8192, 0 + 1));
        assertFalse(ram.contains(BASE, -1));
        assertEquals(100, ram.offsetOf(BASE + 100));
    }

    @Test
    void ringViewsGuestBytesAtTheGuestPhysicalAddress()
    {
        final GuestMemory ram = GuestMemory.allocate(BASE, 8192);
        final ExternalRingMemory ring = ram.ring(BASE + 4096, 4);
        assertEquals(BASE + 4096, ring.deviceAddress());
        ring.buffer().putLong(16, 0x1234_5678_9ABCL);
        assertEquals(0x1234_5678_9ABCL, ram.buffer().getLong(4096 + 16));
        ring.close();
    }

    @Test
    void ringOutsideGuestMemoryNamesTheAddress()
    {
        final GuestMemory ram = GuestMemory.allocate(BASE, 8192);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ram.ring(BASE + 4096, 9));
        assertTrue(e.getMessage().contains("gpa=0x40001000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ram.ring(BASE - 4096, 4));
        assertThrows(IllegalArgumentException.class, () -> ram.ring(BASE + 8, 4));
        assertThrows(IllegalArgumentException.class, () -> ram.offsetOf(BASE + 8192));
    }

    @Test
    void allocationRefusesMisalignment()
    {
        assertThrows(IllegalArgumentException.class, () -> GuestMemory.allocate(BASE + 1, 4096));
        assertThrows(IllegalArgumentException.class, () -> GuestMemory.allocate(BASE, 100));
        assertThrows(IllegalArgumentException.class, () -> GuestMemory.allocate(-4096, 4096));
    }
}
