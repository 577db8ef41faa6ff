package dev.cmdq.vcmdq.hw;

import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.QueueRegisters;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;

/**
 * The producer side of a ring for hardware tests, written independently of the producers under test
 * elsewhere: put two words at PROD's slot, advance, publish PROD with a release store.
 */
final class TestRing
{
    final AtomicBuffer buffer;
    final int offset;
    final QueueRegisters registers;
    final int log2Size;
    int prod;

    /**
     * @param buffer    memory holding the ring.
     * @param offset    byte offset of slot 0 in it.
     * @param registers the queue's registers.
     * @param log2Size  log2 of the entries.
     */
    TestRing(final AtomicBuffer buffer, final int offset, final QueueRegisters registers, final int log2Size)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.registers = registers;
        this.log2Size = log2Size;
        this.prod = registers.getProdAcquire();
    }

    int slotOffset(final int index)
    {
        return offset + ((index & QueueIndex.indexMask(log2Size)) << 4);
    }

    /** Writes one entry at PROD without publishing it. */
    TestRing put(final long dword0, final long dword1)
    {
        final int at = slotOffset(prod);
        buffer.putLong(at, dword0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(at + 8, dword1, ByteOrder.LITTLE_ENDIAN);
        prod = (prod + 1) & QueueIndex.wrapIndexMask(log2Size);
        return this;
    }

    /** Publishes every entry put so far. */
    TestRing publish()
    {
        registers.putProdRelease(prod);
        return this;
    }

    TestRing push(final long dword0, final long dword1)
    {
        return put(dword0, dword1).publish();
    }

    /** @return CONS index and wrap, without ERR. */
    int cons()
    {
        return registers.getConsAcquire() & QueueIndex.wrapIndexMask(log2Size);
    }

    int err()
    {
        return (registers.getConsAcquire() >>> 24) & 0x7F;
    }

    boolean drained()
    {
        return cons() == prod;
    }

    /** Software's acknowledge: GERRORN := GERROR. */
    void acknowledge()
    {
        registers.putGerrornRelease(registers.getGerrorAcquire());
    }

    long dword0(final int index)
    {
        return buffer.getLong(slotOffset(index), ByteOrder.LITTLE_ENDIAN);
    }
}
