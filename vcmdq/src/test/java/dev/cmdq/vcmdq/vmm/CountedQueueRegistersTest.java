package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.MappedQueueRegisters;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

/**
 * The counted view passes every access through to the registers it wraps and counts each one.
 */
class CountedQueueRegistersTest
{
    @Test
    void everyAccessReachesTheRegistersAndIsCounted()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024)));
        final AtomicCounter counter = manager.newCounter("accesses");
        final MappedQueueRegisters mapped = MappedQueueRegisters.allocate();
        final CountedQueueRegisters counted = new CountedQueueRegisters(mapped, counter);
        counted.putProdRelease(11);
        counted.putConsRelease(22);
        counted.putGerrorRelease(33);
        counted.putGerrornRelease(44);
        assertEquals(4, counter.get());
        assertEquals(11, mapped.getProdAcquire());
        assertEquals(22, mapped.getConsAcquire());
        assertEquals(33, mapped.getGerrorAcquire());
        assertEquals(44, mapped.getGerrornAcquire());
        mapped.putProdRelease(1);
        mapped.putConsRelease(2);
        mapped.putGerrorRelease(3);
        mapped.putGerrornRelease(4);
        assertEquals(1, counted.getProdAcquire());
        assertEquals(2, counted.getConsAcquire());
        assertEquals(3, counted.getGerrorAcquire());
        assertEquals(4, counted.getGerrornAcquire());
        assertEquals(8, counter.get());
        mapped.close();
    }
}
