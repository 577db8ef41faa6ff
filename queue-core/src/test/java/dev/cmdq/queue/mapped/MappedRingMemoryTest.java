package dev.cmdq.queue.mapped;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueConsumer;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.SingleWriterProducer;
import dev.cmdq.queue.testkit.AllocationProbe;
import dev.cmdq.queue.testkit.StressEntry;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Create, open, the byte layout (checked by reading the file with plain NIO, an independent view of the
 * bytes), the typed errors, and that close really unmaps.
 */
class MappedRingMemoryTest
{
    private static final long DEVICE = 0x8000_0000L;

    private Path dir;
    private Path file;

    @BeforeEach
    void setUp() throws IOException
    {
        dir = Files.createTempDirectory(MappedRingMemory.defaultDirectory(), "cmdq-mapped-test-");
        file = dir.resolve("q.ring");
    }

    @AfterEach
    void tearDown() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Reads {@code n} bytes at {@code position} straight from the file, not through any mapping of ours. */
    private ByteBuffer fileBytes(final long position, final int n) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(bytes, position);
            return bytes.flip();
        }
    }

    private void overwrite(final long position, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(bytes, position);
        }
    }

    private static ByteBuffer intBytes(final int value)
    {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
    }

    private RingFileException assertProblem(final RingFileException.Problem problem, final String field, final Runnable call)
    {
        final RingFileException e = assertThrows(RingFileException.class, call::run);
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        if (field != null)
        {
            assertTrue(e.getMessage().contains(field), "names the field: " + e.getMessage());
        }
        return e;
    }

    @Test
    void defaultDirectoryIsTmpfsWhenTheOsHasOne()
    {
        final Path expected = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") :
            Paths.get(System.getProperty("java.io.tmpdir"));
        assertEquals(expected, MappedRingMemory.defaultDirectory());
    }

    @Test
    void headerLayoutIsTheDocumentedOne() throws IOException
    {
        try (MappedRingMemory ring = MappedRingMemory.create(file, 5, DEVICE))
        {
            ring.registers().putProdRelease(0x2A);
            ring.registers().putConsRelease(0x11);
            ring.registers().putGerrorRelease(1);
            ring.registers().putGerrornRelease(3);
            ring.buffer().putLong(0, 0x1122_3344_5566_7788L);
            ring.buffer().putLong(31 * 16 + 8, -7L);
            ring.claimRecords().putLong(63 * 64, 0x0102_0304_0506_0708L);
            ring.cmdqState().putLong(128, 0x55AA_55AA_0000_0001L);

            // Expected offsets and values typed from the layout, read with plain file I/O.
            assertEquals(4096 + 4096 + 4096 + 4096, Files.size(file),
                "header page + ring of 512 bytes rounded to a page + claim records page + state of 648 bytes in a page");
            final ByteBuffer head = fileBytes(0, 4096);
            final byte[] magic = new byte[8];
            head.get(0, magic);
            assertArrayEquals("CMDQRING".getBytes(StandardCharsets.US_ASCII), magic);
            assertEquals(2, head.getInt(8), "version");
            assertEquals(5, head.getInt(12), "log2Size");
            assertEquals(DEVICE, head.getLong(16), "device address");
            assertEquals(0x2A, head.getInt(128), "PROD");
            assertEquals(0x11, head.getInt(256), "CONS");
            assertEquals(1, head.getInt(384), "GERROR");
            assertEquals(3, head.getInt(512), "GERRORN");
            assertEquals(0x1122_3344_5566_7788L, fileBytes(4096, 8).getLong(0), "slot 0 at the second page");
            assertEquals(-7L, fileBytes(4096 + 31 * 16 + 8, 8).getLong(0), "last dword of the last slot");
            assertEquals(0x0102_0304_0506_0708L, fileBytes(8192 + 63 * 64, 8).getLong(0), "record of lease 63 in the third page");
            assertEquals(0x55AA_55AA_0000_0001L, fileBytes(12288 + 128, 8).getLong(0), "llq on the second line of the fourth page");
            assertEquals(0, ring.cmdqState().addressOffset() & 4095, "the state is page-aligned");
            assertEquals(DEVICE, ring.deviceAddress());
            assertEquals(0, ring.buffer().addressOffset() & 4095, "slot 0 is page-aligned");
        }
    }

    @Test
    void freshFileIsZeroedSoTheQueueIsEmptyAndNotInError() throws IOException
    {
        try (MappedRingMemory ring = MappedRingMemory.create(file, 7, 0))
        {
            final MappedQueueRegisters r = ring.registers();
            assertEquals(0, r.getProdAcquire());
            assertEquals(0, r.getConsAcquire());
            assertEquals(0, r.getGerrorAcquire());
            assertEquals(0, r.getGerrornAcquire());
            for (int i = 0; i < ring.capacity() * RingMemory.ENTRY_BYTES; i += 8)
            {
                assertEquals(0L, ring.buffer().getLong(i), "byte " + i);
            }
        }
    }

    @Test
    void twoMappingsOfOneFileShareRingAndRegisters()
    {
        try (MappedRingMemory creator = MappedRingMemory.create(file, 4, DEVICE);
            MappedRingMemory opener = MappedRingMemory.open(file))
        {
            assertTrue(creator.buffer().addressOffset() != opener.buffer().addressOffset(), "two mappings");
            assertEquals(4, opener.log2Size());
            assertEquals(DEVICE, opener.deviceAddress(), "the device address comes from the file, not the mapping");

            creator.buffer().putLongRelease(15 * 16, 0xCAFEL);
            creator.registers().putProdRelease(0x10);
            assertEquals(0x10, opener.registers().getProdAcquire());
            assertEquals(0xCAFEL, opener.buffer().getLongAcquire(15 * 16));
            opener.registers().putConsRelease(0x1F);
            assertEquals(0x1F, creator.registers().getConsAcquire());
        }
    }

    @Test
    void contentOutlivesTheMappingButTheViewsDoNot()
    {
        final MappedRingMemory ring = MappedRingMemory.create(file, 3, DEVICE);
        final MappedQueueRegisters registers = ring.registers();
        registers.putProdRelease(5);
        ring.buffer().putLong(16, 99L);
        ring.close();
        assertEquals(0, registers.words().capacity(), "register view collapsed");
        assertThrows(IllegalStateException.class, registers::getProdAcquire);
        assertTrue(Files.exists(file), "close never deletes the file");

        try (MappedRingMemory again = MappedRingMemory.open(file, 3))
        {
            assertEquals(5, again.registers().getProdAcquire());
            assertEquals(99L, again.buffer().getLong(16));
        }
    }

    @Test
    void closeUnmapsBeforeReturning() throws IOException
    {
        final Path maps = Paths.get("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux /proc");
        final MappedRingMemory ring = MappedRingMemory.create(file, 6, 0);
        final String name = file.toRealPath().toString();
        assertTrue(Files.readString(maps).contains(name), "mapped while open");
        ring.retain();
        assertThrows(IllegalStateException.class, ring::close);
        assertTrue(Files.readString(maps).contains(name), "a refused close keeps the mapping");
        ring.release();
        ring.close();
        assertFalse(Files.readString(maps).contains(name), "unmapped when close returns");
        ring.close();
    }

    @Test
    void createRefusesAnExistingFile() throws IOException
    {
        Files.writeString(file, "something else");
        assertProblem(RingFileException.Problem.ALREADY_EXISTS, null, () -> MappedRingMemory.create(file, 4, 0));
        assertEquals("something else", Files.readString(file), "left untouched");
    }

    @Test
    void createValidatesArguments()
    {
        final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
            () -> MappedRingMemory.create(file, 20, 0));
        assertTrue(size.getMessage().contains("log2Size=20"), size.getMessage());
        final IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
            () -> MappedRingMemory.create(file, 4, 0x1008));
        assertTrue(device.getMessage().contains("deviceAddress=0x1008"), device.getMessage());
        assertFalse(Files.exists(file), "nothing created for a bad argument");
    }

    @Test
    void openNamesAMissingFile()
    {
        assertProblem(RingFileException.Problem.NOT_FOUND, null, () -> MappedRingMemory.open(file));
    }

    @Test
    void openNamesAFileTooShortForAnyRing() throws IOException
    {
        Files.write(file, new byte[100]);
        final RingFileException e =
            assertProblem(RingFileException.Problem.TOO_SHORT, "length", () -> MappedRingMemory.open(file));
        assertTrue(e.getMessage().contains("length=100"), e.getMessage());
        assertEquals(100, Files.size(file), "opening never grows a file");
    }

    @Test
    void openNamesAFileTooShortForItsOwnHeader() throws IOException
    {
        MappedRingMemory.create(file, 10, 0).close(); // 4096 + 16384 + 4096 + 4096
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(4096 + 16384 + 4096); // without the state page
        }
        final RingFileException e =
            assertProblem(RingFileException.Problem.TOO_SHORT, "length", () -> MappedRingMemory.open(file));
        assertTrue(e.getMessage().contains("length=24576") && e.getMessage().contains("log2Size=10"), e.getMessage());
    }

    @Test
    void openNeverGrowsAFileThatIsNotWholePages() throws IOException
    {
        MappedRingMemory.create(file, 4, DEVICE).close(); // 4 pages
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[100]), 16384); // trailing bytes, not a page
        }
        try (MappedRingMemory ring = MappedRingMemory.open(file, 4))
        {
            assertEquals(16, ring.capacity());
            assertEquals(DEVICE, ring.deviceAddress());
        }
        assertEquals(16384 + 100, Files.size(file), "the file keeps its length");
    }

    @Test
    void openWithAnImpossibleExpectedSizeIsAnArgumentError()
    {
        MappedRingMemory.create(file, 4, 0).close();
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> MappedRingMemory.open(file, 0));
        assertTrue(e.getMessage().contains("log2Size=0"), e.getMessage());
    }

    @Test
    void openNamesAWrongMagic() throws IOException
    {
        Files.write(file, new byte[16384]);
        final RingFileException e =
            assertProblem(RingFileException.Problem.BAD_MAGIC, "magic", () -> MappedRingMemory.open(file));
        assertTrue(e.getMessage().contains("magic=0x0"), e.getMessage());
    }

    @Test
    void openNamesAWrongVersion() throws IOException
    {
        MappedRingMemory.create(file, 4, 0).close();
        overwrite(8, intBytes(1)); // layout 1 had no multi-producer state
        final RingFileException e =
            assertProblem(RingFileException.Problem.BAD_VERSION, "version", () -> MappedRingMemory.open(file));
        assertTrue(e.getMessage().contains("version=1, expected 2"), e.getMessage());
    }

    @Test
    void openNamesAnImpossibleSize() throws IOException
    {
        MappedRingMemory.create(file, 4, 0).close();
        overwrite(12, intBytes(0));
        final RingFileException e =
            assertProblem(RingFileException.Problem.BAD_LOG2_SIZE, "log2Size", () -> MappedRingMemory.open(file));
        assertTrue(e.getMessage().contains("log2Size=0"), e.getMessage());
    }

    @Test
    void openNamesASizeOtherThanTheExpectedOne()
    {
        MappedRingMemory.create(file, 8, 0).close();
        final RingFileException e = assertProblem(RingFileException.Problem.LOG2_SIZE_MISMATCH, "log2Size",
            () -> MappedRingMemory.open(file, 9));
        assertTrue(e.getMessage().contains("log2Size=8, expected 9"), e.getMessage());
        try (MappedRingMemory ring = MappedRingMemory.open(file, 8))
        {
            assertEquals(256, ring.capacity(), "the right size opens");
        }
    }

    private long nextSequence;
    private long consumedSequence;

    private int onEntry(final AtomicBuffer buffer, final int offset, final int cons)
    {
        if (!StressEntry.isIntact(buffer, offset) || StressEntry.sequence(buffer, offset) != consumedSequence)
        {
            return CommandError.ILL;
        }
        consumedSequence++;
        return CommandError.NONE;
    }

    @Test
    void warmProduceAndConsumeOverTheMappedFileAllocatesNothing()
    {
        assertTrue(AllocationProbe.isSupported(), "this JVM must measure thread allocation");
        try (MappedRingMemory ring = MappedRingMemory.create(file, 6, DEVICE))
        {
            final SingleWriterProducer producer = new SingleWriterProducer(
                ring, ring.registers(), null, NoOpIdleStrategy.INSTANCE, 1_000_000_000L);
            final QueueConsumer consumer = new QueueConsumer(ring, ring.registers(), this::onEntry, null);
            final AtomicBuffer buffer = producer.buffer();
            final Runnable block = () ->
            {
                for (int i = 0; i < 10_000; i++)
                {
                    final int n = 1 + (i & 7);
                    final int start = producer.claim(n);
                    for (int k = 0; k < n; k++)
                    {
                        StressEntry.write(buffer, producer.slotOffset(start + k), nextSequence++, 0);
                    }
                    producer.publish();
                    consumer.drain(64);
                }
            };
            assertEquals(0, AllocationProbe.bytesOnceWarm(block, 100, 3), "bytes allocated by warm rounds");
            assertEquals(nextSequence, consumedSequence, "every entry consumed, in order, intact");
            producer.close();
            consumer.close();
        }
    }
}
