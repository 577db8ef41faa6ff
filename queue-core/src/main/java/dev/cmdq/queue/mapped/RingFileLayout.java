package dev.cmdq.queue.mapped;

import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;

/**
 * Byte layout of a ring file (layout {@link #VERSION} 1): a one-page header holding the identification
 * words and the queue's registers, then the ring. Offsets are from the start of the file, which is also
 * the start of the mapping, so every offset here is a page offset too.
 *
 * <pre>
 *  offset    0 : MAGIC          64-bit "CMDQRING" (ASCII, little-endian); stored last, release, on create
 *  offset    8 : VERSION        32-bit layout version
 *  offset   12 : LOG2_SIZE      32-bit log2 of the ring's entries
 *  offset   16 : DEVICE_ADDRESS 64-bit address of slot 0 as the device names it (the same in every process)
 *  offset  128 : registers      MappedQueueRegisters block: PROD 128, CONS 256, GERROR 384, GERRORN 512
 *  offset  640 : reserved       zero
 *  offset 1024 : leases         64 x 64-bit producer leases (ProducerLeases), 0 = free
 *  offset 1536 : reserved       zero up to the end of the header page
 *  offset 4096 : ring           2^L x 16 bytes, slot 0 page-aligned
 *  then        : zero padding up to a whole page
 * </pre>
 *
 * <p>Why a device address in the header: each process maps the file at its own virtual address, but a
 * completion entry written by a producer in one process names its write-back address for the consumer in
 * another, so the address both sides agree on is a property of the file, not of a mapping.
 */
final class RingFileLayout
{
    /** "CMDQRING" read as a little-endian 64-bit word. */
    static final long MAGIC = 0x474E_4952_5144_4D43L;
    /** The layout described above. */
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int LOG2_SIZE_OFFSET = 12;
    static final int DEVICE_ADDRESS_OFFSET = 16;
    /** The register block, on its own 128-byte lines after the identification line. */
    static final int REGISTERS_OFFSET = 128;
    /** The producer lease table, on lines of its own. */
    static final int LEASES_OFFSET = 1024;
    /** Bytes of the lease table. */
    static final int LEASES_BYTES = ProducerLeases.CAPACITY * Long.BYTES;
    /** Bytes of the header, one page: the ring starts page-aligned. */
    static final int HEADER_BYTES = 4096;
    /** Byte offset of slot 0. */
    static final int RING_OFFSET = HEADER_BYTES;
    /** The file is a whole number of these. */
    static final int PAGE_BYTES = 4096;

    static
    {
        // The register block must end inside the header page.
        if (REGISTERS_OFFSET + MappedQueueRegisters.LENGTH > LEASES_OFFSET || LEASES_OFFSET + LEASES_BYTES > HEADER_BYTES)
        {
            throw new AssertionError("header blocks overlap or overflow the header page");
        }
    }

    private RingFileLayout()
    {
    }

    /**
     * @param log2Size log2 of the ring's entries (checked).
     * @return the length of a ring file of that size: header plus ring, rounded up to a page.
     */
    static long fileLength(final int log2Size)
    {
        final long ringBytes = (long)QueueIndex.capacity(QueueIndex.checkLog2Size(log2Size)) << RingMemory.ENTRY_SHIFT;
        return RING_OFFSET + ((ringBytes + PAGE_BYTES - 1) & -(long)PAGE_BYTES);
    }
}
