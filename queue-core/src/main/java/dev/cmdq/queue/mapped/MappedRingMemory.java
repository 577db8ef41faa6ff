package dev.cmdq.queue.mapped;

import dev.cmdq.queue.ExternalRingMemory;
import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.io.ReferenceOwner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The third ring-memory provider: a ring and its queue's registers in a memory-mapped file, so a
 * producer in one process and the device (consumer) in another share them zero-copy, the way a VMM
 * shares guest memory with the process that emulates a device. The file is mapped once, whole, with
 * Chronicle Bytes ({@link MappedFile#ofSingle}); the ring is viewed through one Agrona
 * {@link UnsafeBuffer} over the mapped address and the registers are a {@link MappedQueueRegisters}
 * block in the same mapping ({@link RingFileLayout}).
 *
 * <pre>
 *   process A (producer)                      process B (device)
 *   MappedRingMemory.create(f, L, dev)        MappedRingMemory.open(f)
 *        |   mmap (MAP_SHARED)                     |   mmap (MAP_SHARED)
 *        v                                         v
 *   [ header | PROD CONS GERROR GERRORN | ring 2^L x 16 ]   one file, ideally on tmpfs (/dev/shm)
 * </pre>
 *
 * <p><b>Create vs open.</b> {@link #create} makes a new file (atomically: it fails with
 * {@link RingFileException.Problem#ALREADY_EXISTS} if one is there), zero-filled, so PROD = CONS = 0 and
 * no error is pending, and stores the magic last with release semantics. {@link #open} maps an existing
 * file and checks magic (acquire, so the rest of the header is visible), version, log2Size and length,
 * each failure a {@link RingFileException} naming the file and the field.
 *
 * <p><b>Device address.</b> Every process maps the file at its own address, so the address a completion
 * entry names for its write-back is not the native one but the {@link #deviceAddress()} stored in the
 * header at creation, the same for every process that opens the file.
 *
 * <p><b>Lifetime.</b> As for every {@link RingMemory}: {@link #close()} is refused while a component
 * retains the memory; it then collapses the ring and register views to length 0 and unmaps the file
 * before returning (Chronicle's background releaser is drained, so the unmap is not left to a later
 * thread). Closing never deletes the file: other processes may still have it mapped; whoever owns the
 * file's name removes it.
 */
public final class MappedRingMemory implements RingMemory
{
    private final Path file;
    private final MappedFile mappedFile;
    private final MappedBytesStore store;
    private final ReferenceOwner owner;
    /** The header page: identification words and the register block. */
    private final UnsafeBuffer header;
    private final MappedQueueRegisters registers;
    private final ProducerLeases leases;
    /** The claim records, one line per lease. */
    private final UnsafeBuffer claimRecords;
    /** The Linux algorithm's shared software state. */
    private final UnsafeBuffer cmdqState;
    /** The ring view; its holder count and close protocol are this provider's. */
    private final ExternalRingMemory ring;
    private final AtomicBoolean unmapped = new AtomicBoolean();

    private MappedRingMemory(
        final Path file,
        final MappedFile mappedFile,
        final MappedBytesStore store,
        final ReferenceOwner owner,
        final UnsafeBuffer header,
        final int log2Size,
        final long deviceAddress)
    {
        this.file = file;
        this.mappedFile = mappedFile;
        this.store = store;
        this.owner = owner;
        this.header = header;
        this.registers = MappedQueueRegisters.wrap(header, RingFileLayout.REGISTERS_OFFSET);
        this.leases = new ProducerLeases(header, RingFileLayout.LEASES_OFFSET, file.toString());
        this.claimRecords = new UnsafeBuffer(
            header.addressOffset() + RingFileLayout.claimRecordsOffset(log2Size), RingFileLayout.CLAIM_RECORDS_BYTES);
        this.cmdqState = new UnsafeBuffer(
            header.addressOffset() + RingFileLayout.stateOffset(log2Size), RingFileLayout.stateBytes(log2Size));
        final long ringBytes = (long)QueueIndex.capacity(log2Size) << ENTRY_SHIFT;
        this.ring = ExternalRingMemory.wrap(
            header.addressOffset() + RingFileLayout.RING_OFFSET, ringBytes, log2Size, deviceAddress);
    }

    /**
     * @return {@code /dev/shm} when the OS offers it (a tmpfs: the shared pages are never written back to
     *         a disk), else the JVM's temporary directory.
     */
    public static Path defaultDirectory()
    {
        final Path shm = Paths.get("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm))
        {
            return shm;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Creates a new ring file, zero-filled, and maps it.
     *
     * @param file          the file to create; must not exist.
     * @param log2Size      log2 of the number of entries, 1..19.
     * @param deviceAddress the address of slot 0 as the device names it, in every process; 16-byte aligned.
     * @return the mapped ring, to be closed by the caller.
     * @throws IllegalArgumentException naming {@code log2Size} or {@code deviceAddress} when out of range.
     * @throws RingFileException        {@code ALREADY_EXISTS} if the file is there, {@code IO_ERROR} if
     *                                  the OS refuses.
     */
    public static MappedRingMemory create(final Path file, final int log2Size, final long deviceAddress)
    {
        Objects.requireNonNull(file, "file");
        final long length = RingFileLayout.fileLength(log2Size);
        if ((deviceAddress & (ENTRY_BYTES - 1)) != 0)
        {
            throw new IllegalArgumentException(
                "deviceAddress=0x" + Long.toHexString(deviceAddress) + " is not 16-byte aligned");
        }
        try
        {
            Files.createFile(file);
        }
        catch (final FileAlreadyExistsException e)
        {
            throw new RingFileException(file, RingFileException.Problem.ALREADY_EXISTS, null,
                "create refuses to reuse an existing file; open it, or remove it first", e);
        }
        catch (final IOException e)
        {
            throw new RingFileException(file, RingFileException.Problem.IO_ERROR, null, e.toString(), e);
        }

        try
        {
            return map(file, length, length, log2Size, deviceAddress, 0);
        }
        catch (final RuntimeException e)
        {
            deleteQuietly(file, e);
            throw e;
        }
    }

    /**
     * Maps an existing ring file of any size.
     *
     * @param file the ring file.
     * @return the mapped ring, to be closed by the caller.
     * @throws RingFileException naming the file and the field: {@code NOT_FOUND}, {@code TOO_SHORT},
     *                           {@code BAD_MAGIC}, {@code BAD_VERSION}, {@code BAD_LOG2_SIZE},
     *                           {@code IO_ERROR}.
     */
    public static MappedRingMemory open(final Path file)
    {
        return openExpecting(file, 0);
    }

    /**
     * Maps an existing ring file that must have {@code 2^log2Size} entries.
     *
     * @param file     the ring file.
     * @param log2Size the size the caller expects, 1..19.
     * @return the mapped ring, to be closed by the caller.
     * @throws IllegalArgumentException naming {@code log2Size} when out of range.
     * @throws RingFileException        as {@link #open(Path)}, or {@code LOG2_SIZE_MISMATCH} naming both
     *                                  sizes.
     */
    public static MappedRingMemory open(final Path file, final int log2Size)
    {
        return openExpecting(file, QueueIndex.checkLog2Size(log2Size));
    }

    /**
     * @param expectedLog2Size the size the header must say, or 0 for any.
     */
    private static MappedRingMemory openExpecting(final Path file, final int expectedLog2Size)
    {
        Objects.requireNonNull(file, "file");
        final long size;
        try
        {
            size = Files.size(file);
        }
        catch (final NoSuchFileException e)
        {
            throw new RingFileException(file, RingFileException.Problem.NOT_FOUND, null, "no such file", e);
        }
        catch (final IOException e)
        {
            throw new RingFileException(file, RingFileException.Problem.IO_ERROR, null, e.toString(), e);
        }
        final long minimum = RingFileLayout.fileLength(QueueIndex.MIN_LOG2_SIZE);
        if (size < minimum)
        {
            throw new RingFileException(file, RingFileException.Problem.TOO_SHORT, "length",
                "length=" + size + " < " + minimum + " (the smallest ring file)", null);
        }

        // Map whole pages of what is there, never more: Chronicle rounds a mapping up to a page and grows the
        // file to it, and a file that opening grows may not even be a ring file. A ring file is whole pages,
        // and never longer than the largest ring needs.
        final long mapped = Math.min(
            size & -(long)RingFileLayout.PAGE_BYTES, RingFileLayout.fileLength(QueueIndex.MAX_LOG2_SIZE));
        return map(file, mapped, size, 0, 0, expectedLog2Size);
    }

    /**
     * @return the ring file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the queue's registers, in the same mapping (every process that opened the file sees the
     *         same words). Unusable (length 0) after {@link #close()}.
     */
    public MappedQueueRegisters registers()
    {
        return registers;
    }

    /**
     * @return the file's producer lease table (which processes produce into this ring, and which of them
     *         died). Unusable (length 0) after {@link #close()}.
     */
    public ProducerLeases leases()
    {
        return leases;
    }

    /**
     * @return the file's claim records, {@value RingFileLayout#CLAIM_RECORD_BYTES} bytes per lease
     *         ({@link ClaimRecords}). Unusable (length 0) after {@link #close()}.
     */
    AtomicBuffer claimRecords()
    {
        return claimRecords;
    }

    /**
     * @return the memory of the Linux algorithm's software state in this file, for
     *         {@link dev.cmdq.queue.lockfree.SharedCmdqState#join}: zero (the initial state for
     *         PROD = CONS = 0) in a new file. Unusable (length 0) after {@link #close()}.
     */
    public AtomicBuffer cmdqState()
    {
        return cmdqState;
    }

    /**
     * @return the recovery lock word's view (the header), for {@link DeadProducerRepair}.
     */
    AtomicBuffer header()
    {
        return header;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int log2Size()
    {
        return ring.log2Size();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public UnsafeBuffer buffer()
    {
        return ring.buffer();
    }

    /**
     * {@inheritDoc}
     *
     * @return the device address stored in the file's header, the same in every process.
     */
    @Override
    public long deviceAddress()
    {
        return ring.deviceAddress();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void retain()
    {
        ring.retain();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void release()
    {
        ring.release();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isClosed()
    {
        return ring.isClosed();
    }

    /**
     * Collapses the ring and register views, then unmaps the file before returning. The file stays.
     * Idempotent.
     *
     * @throws IllegalStateException naming the number of holders if any component still retains it.
     */
    @Override
    public void close()
    {
        ring.close();
        if (unmapped.compareAndSet(false, true))
        {
            registers.close();
            leases.close();
            claimRecords.wrap(0L, 0);
            cmdqState.wrap(0L, 0);
            header.wrap(0L, 0);
            release(mappedFile, store, owner);
        }
    }

    @Override
    public String toString()
    {
        return "MappedRingMemory{" + file + ", 2^" + ring.log2Size() + "}";
    }

    /**
     * Maps {@code length} bytes of {@code file} (of {@code fileSize} bytes) and either writes a fresh
     * header ({@code createLog2Size} not 0) or checks the one there against {@code expectedLog2Size} (0: any
     * size).
     */
    private static MappedRingMemory map(
        final Path file,
        final long length,
        final long fileSize,
        final int createLog2Size,
        final long createDeviceAddress,
        final int expectedLog2Size)
    {
        final MappedFile mappedFile = mapFile(file, length);
        final ReferenceOwner owner = ReferenceOwner.temporary("cmdq-ring");
        MappedBytesStore store = null;
        try
        {
            store = mappedFile.acquireByteStore(owner, 0);
            if (store.capacity() < length)
            {
                throw new IOException("mapped " + store.capacity() + " bytes, need " + length);
            }
            final UnsafeBuffer header = new UnsafeBuffer(store.addressForWrite(0), RingFileLayout.HEADER_BYTES);
            final int log2Size;
            final long deviceAddress;
            if (createLog2Size != 0)
            {
                log2Size = createLog2Size;
                deviceAddress = createDeviceAddress;
                header.putInt(RingFileLayout.VERSION_OFFSET, RingFileLayout.VERSION);
                header.putInt(RingFileLayout.LOG2_SIZE_OFFSET, log2Size);
                header.putLong(RingFileLayout.DEVICE_ADDRESS_OFFSET, deviceAddress);
                // Last, release: an opener that sees the magic (acquire) sees the whole header.
                header.putLongRelease(RingFileLayout.MAGIC_OFFSET, RingFileLayout.MAGIC);
            }
            else
            {
                log2Size = checkHeader(file, header, fileSize, expectedLog2Size);
                deviceAddress = header.getLong(RingFileLayout.DEVICE_ADDRESS_OFFSET);
            }
            return new MappedRingMemory(file, mappedFile, store, owner, header, log2Size, deviceAddress);
        }
        catch (final RingFileException e)
        {
            release(mappedFile, store, owner);
            throw e;
        }
        catch (final IOException | RuntimeException e)
        {
            release(mappedFile, store, owner);
            throw new RingFileException(file, RingFileException.Problem.IO_ERROR, null, e.toString(), e);
        }
    }

    /**
     * Drops our reference on the store, closes the mapped file and makes sure the unmap has happened when
     * this returns.
     */
    private static void release(final MappedFile mappedFile, final MappedBytesStore store, final ReferenceOwner owner)
    {
        if (store != null)
        {
            store.release(owner);
        }
        mappedFile.releaseLast();
        // Chronicle 2.27's SingleMappedFile keeps the reference it took on its store when it mapped it, and
        // drops it on close only with -DmappedFile.retain=true: otherwise the pages stay mapped until the
        // garbage collector finds the store. Drop the file's own reference so the unmap happens now.
        if (store != null && store.refCount() > 0)
        {
            store.release(mappedFile);
        }
        // The unmap may have been handed to Chronicle's background releaser; wait for it.
        BackgroundResourceReleaser.releasePendingResources();
    }

    private static MappedFile mapFile(final Path file, final long length)
    {
        try
        {
            final MappedFile mappedFile = MappedFile.ofSingle(file.toFile(), length, false);
            // Any thread may close a ring (the RingMemory contract); Chronicle's owner-thread checks would refuse.
            mappedFile.singleThreadedCheckDisabled(true);
            return mappedFile;
        }
        catch (final IOException | RuntimeException e)
        {
            throw new RingFileException(file, RingFileException.Problem.IO_ERROR, null, e.toString(), e);
        }
    }

    private static int checkHeader(final Path file, final UnsafeBuffer header, final long size, final int expectedLog2Size)
    {
        final long magic = header.getLongAcquire(RingFileLayout.MAGIC_OFFSET);
        if (magic != RingFileLayout.MAGIC)
        {
            throw new RingFileException(file, RingFileException.Problem.BAD_MAGIC, "magic",
                "magic=0x" + Long.toHexString(magic) + ", expected 0x" + Long.toHexString(RingFileLayout.MAGIC) +
                " (not a ring file, or its creation has not finished)", null);
        }
        final int version = header.getInt(RingFileLayout.VERSION_OFFSET);
        if (version != RingFileLayout.VERSION)
        {
            throw new RingFileException(file, RingFileException.Problem.BAD_VERSION, "version",
                "version=" + version + ", expected " + RingFileLayout.VERSION, null);
        }
        final int log2Size = header.getInt(RingFileLayout.LOG2_SIZE_OFFSET);
        if (log2Size < QueueIndex.MIN_LOG2_SIZE || log2Size > QueueIndex.MAX_LOG2_SIZE)
        {
            throw new RingFileException(file, RingFileException.Problem.BAD_LOG2_SIZE, "log2Size",
                "log2Size=" + log2Size + " outside [" + QueueIndex.MIN_LOG2_SIZE + ", " + QueueIndex.MAX_LOG2_SIZE + "]",
                null);
        }
        if (expectedLog2Size != 0 && log2Size != expectedLog2Size)
        {
            throw new RingFileException(file, RingFileException.Problem.LOG2_SIZE_MISMATCH, "log2Size",
                "log2Size=" + log2Size + ", expected " + expectedLog2Size, null);
        }
        final long needed = RingFileLayout.fileLength(log2Size);
        if (size < needed)
        {
            throw new RingFileException(file, RingFileException.Problem.TOO_SHORT, "length",
                "length=" + size + " < " + needed + " for log2Size=" + log2Size, null);
        }
        return log2Size;
    }

    private static void deleteQuietly(final Path file, final RuntimeException failure)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException e)
        {
            failure.addSuppressed(e);
        }
    }
}
