package dev.cmdq.queue;

import dev.cmdq.queue.mapped.MappedRingMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link RingMemory} contract, run against every provider at every size 2^1..2^19.
 */
class RingMemoryContractTest
{
    private static final long GUEST_BASE = 0x8000_0000L;
    /** Keeps external backing memory reachable until the test ends. */
    private final List<ByteBuffer> backing = new ArrayList<>();
    /** Ring files made by the mapped provider, removed when the test ends. */
    private final List<Path> files = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException
    {
        backing.clear();
        for (final Path file : files)
        {
            Files.deleteIfExists(file);
        }
        files.clear();
    }

    /** A provider under test: name, how to make a ring of a size, and the device address it must report. */
    private record Provider(String name, IntFunction<RingMemory> make, boolean deviceIsNative)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private Provider direct()
    {
        return new Provider("direct", DirectRingMemory::allocate, true);
    }

    private Provider externalAddress()
    {
        return new Provider("external(address)", l ->
        {
            final int bytes = (1 << l) * 16;
            final ByteBuffer bb = ByteBuffer.allocateDirect(bytes + 16);
            backing.add(bb);
            final long address = (org.agrona.BufferUtil.address(bb) + 15) & ~15L;
            return ExternalRingMemory.wrap(address, bytes, l, GUEST_BASE);
        }, false);
    }

    private Provider externalBuffer()
    {
        return new Provider("external(buffer)", l ->
        {
            final int bytes = (1 << l) * 16;
            final ByteBuffer bb = ByteBuffer.allocateDirect(bytes + 64);
            backing.add(bb);
            final UnsafeBuffer guestRam = new UnsafeBuffer(bb);
            final int offset = (int)(16 - (guestRam.addressOffset() & 15)) + 32;
            return ExternalRingMemory.wrap(guestRam, offset, l, GUEST_BASE);
        }, false);
    }

    private Provider mapped()
    {
        return new Provider("mapped(file)", l ->
        {
            try
            {
                final Path file = Files.createTempFile(MappedRingMemory.defaultDirectory(), "cmdq-contract-", ".ring");
                files.add(file);
                Files.delete(file); // create() insists on making the file itself
                return MappedRingMemory.create(file, l, GUEST_BASE);
            }
            catch (final IOException e)
            {
                throw new IllegalStateException(e);
            }
        }, false);
    }

    static Stream<Arguments> cases()
    {
        final List<Arguments> list = new ArrayList<>();
        for (final String p : new String[] {"direct", "external(address)", "external(buffer)", "mapped(file)"})
        {
            for (int l = QueueIndex.MIN_LOG2_SIZE; l <= QueueIndex.MAX_LOG2_SIZE; l++)
            {
                list.add(Arguments.of(p, l));
            }
        }
        return list.stream();
    }

    private Provider provider(final String name)
    {
        switch (name)
        {
            case "direct": return direct();
            case "external(address)": return externalAddress();
            case "mapped(file)": return mapped();
            default: return externalBuffer();
        }
    }

    @ParameterizedTest(name = "{0} 2^{1}")
    @MethodSource("cases")
    void geometryAccessAndLifetime(final String providerName, final int log2Size)
    {
        final Provider provider = provider(providerName);
        final RingMemory memory = provider.make().apply(log2Size);
        final int cap = 1 << log2Size;
        assertEquals(log2Size, memory.log2Size());
        assertEquals(cap, memory.capacity());
        assertEquals(cap * RingMemory.ENTRY_BYTES, memory.buffer().capacity());
        assertEquals(0, memory.buffer().addressOffset() & (RingMemory.ENTRY_BYTES - 1), "slots are 16-byte aligned");
        if (provider.deviceIsNative())
        {
            assertEquals(memory.buffer().addressOffset(), memory.deviceAddress());
        }
        else
        {
            assertEquals(GUEST_BASE, memory.deviceAddress());
        }

        // Every byte of the first and the last slot is usable, with atomic access.
        final int last = (cap - 1) << RingMemory.ENTRY_SHIFT;
        memory.buffer().putLong(0, 0x0102030405060708L);
        memory.buffer().putLongRelease(last + 8, -2L);
        assertEquals(0x0102030405060708L, memory.buffer().getLongAcquire(0));
        assertEquals(-2L, memory.buffer().getLong(last + 8));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.buffer().getByte(cap * 16));

        // Lifetime: close refused while held, naming the holders.
        memory.retain();
        memory.retain();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, memory::close);
        assertTrue(refused.getMessage().contains("2 component"), refused.getMessage());
        assertFalse(memory.isClosed());
        assertEquals(-2L, memory.buffer().getLong(last + 8), "a refused close leaves the memory intact");
        memory.release();
        assertThrows(IllegalStateException.class, memory::close);
        memory.release();
        assertThrows(IllegalStateException.class, memory::release, "release without retain");

        memory.close();
        assertTrue(memory.isClosed());
        assertEquals(0, memory.buffer().capacity(), "length 0 after close");
        assertThrows(IndexOutOfBoundsException.class, () -> memory.buffer().getLong(0));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.buffer().putIntRelease(0, 1));
        assertThrows(IllegalStateException.class, memory::retain, "no new holder after close");
        memory.close(); // idempotent
        assertTrue(memory.isClosed());
    }
}
