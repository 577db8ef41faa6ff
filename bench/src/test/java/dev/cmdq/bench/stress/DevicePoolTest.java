package dev.cmdq.bench.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.testbed.EngineMode;
import dev.cmdq.vcmdq.testbed.Platform;
import org.junit.jupiter.api.Test;

/**
 * The pool binds fresh pSIDs only when no device of that SMMU is free, hands out the longest-free device
 * first, and keeps each SMMU's devices apart.
 */
class DevicePoolTest
{
    @Test
    void freeDevicesAreReusedOldestFirstPerSmmuBeforeANewPsidIsBound()
    {
        try (Platform platform = Platform.builder().smmus(2).engineMode(EngineMode.INLINE).build())
        {
            final DevicePool pool = new DevicePool(platform, 0x400);
            final HostDevice a = pool.take(0);
            final HostDevice b = pool.take(0);
            final HostDevice c = pool.take(1);
            assertEquals(0x400, a.streamId());
            assertEquals(0x401, b.streamId());
            assertEquals(0x402, c.streamId());
            assertEquals(1, c.smmuId());
            pool.give(b);
            pool.give(a);
            pool.give(c);
            assertSame(b, pool.take(0), "the longest-free device first");
            assertSame(a, pool.take(0));
            final HostDevice d = pool.take(0);
            assertEquals(0x403, d.streamId(), "none free on SMMU 0: a new pSID, SMMU 1's device is not taken");
            assertEquals(0, d.smmuId());
            assertSame(c, pool.take(1));
            assertEquals(3 + 1, platform.devices().size(), "bound exactly the four distinct devices");
        }
    }
}
