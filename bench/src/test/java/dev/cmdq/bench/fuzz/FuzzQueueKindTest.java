package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The four queue kinds and their cached lookup.
 */
class FuzzQueueKindTest
{
    @Test
    void fourKindsOnlyTheTrappedOneIsNoDeviceQueue()
    {
        assertEquals(4, FuzzQueueKind.count());
        for (final FuzzQueueKind k : FuzzQueueKind.values())
        {
            assertEquals(k, FuzzQueueKind.of(k.ordinal()));
        }
        assertTrue(FuzzQueueKind.MAIN_CMDQ.isDeviceQueue());
        assertTrue(FuzzQueueKind.HOST_VCMDQ.isDeviceQueue());
        assertTrue(FuzzQueueKind.GUEST_VCMDQ.isDeviceQueue());
        assertFalse(FuzzQueueKind.TRAPPED_CMDQ.isDeviceQueue());
    }
}
