package dev.cmdq.queue.mapped;

import dev.cmdq.queue.MappedQueueRegisters;
import dev.cmdq.queue.QueueIndex;
import dev.cmdq.queue.RingMemory;
import dev.cmdq.queue.lockfree.SharedCmdqState;

/**
 * Byte layout of a ring file (layout {@link #VERSION} 2): a one-page header holding the identification
 * words and the queue's registers, then the ring, then the multi-producer part: one page of claim
 * records and the Linux algorithm's software state. Offsets are from the start of the file, which is
 * also the start of the mapping, so every offset here is a page offset too.
 *
 * <pre>
 *  offset    0 : MAGIC          64-bit "CMDQRING" (ASCII, little-endian); stored last, release, on create
 *  offset    8 : VERSION        32-bit layout version
 *  offset   12 : LOG2_SIZE      32-bit log2 of the ring's entries
 *  offset   16 : DEVICE_ADDRESS 64-bit address of slot 0 as the device names it (the same in every process)
 *  offset  128 : registers      MappedQueueRegisters block: PROD 128, CONS 256, GERROR 384, GERRORN 512
 *  offset  640 : reserved       zero
 *  offset 1024 : leases         64 x 64-bit producer leases (ProducerLeases), 0 = free
 *  offset 1536 : recovery lock  32-bit: 0 free, else 1 + the lease index of the repairing thread
 *  offset 1664 : reserved       zero up to the end of the header page
 *  offset 4096 : ring           2^L x 16 bytes, slot 0 page-aligned, zero padding up to a whole page
 *  then        : claim records  64 x 64 bytes, one line per lease (ClaimRecords)
 *  then        : cmdq state     SharedCmdqState for 2^max(L, 6) slots (llq, owner_prod, lock, valid map),
 *                               zero padding up to a whole page
 * </pre>
 *
 * <p>Why the multi-producer part goes after the ring (layout 1 ended with the ring): slot 0 stays at
 * the same page for every size, and the state, whose valid map grows with the ring, needs no maximum.
 * A zero-filled state is the initial one for PROD = CONS = 0, so creating a file initialises it.
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
    static final int VERSION = 2;

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
    /** The recovery lock, on a line of its own. */
    static final int RECOVERY_LOCK_OFFSET = 1536;
    /** Bytes of one claim record: a line each, so producers do not share lines. */
    static final int CLAIM_RECORD_BYTES = 64;
    /** Bytes of the claim records, one page. */
    static final int CLAIM_RECORDS_BYTES = ProducerLeases.CAPACITY * CLAIM_RECORD_BYTES;
    /** Bytes of the header, one page: the ring starts page-aligned. */
    static final int HEADER_BYTES = 4096;
    /** Byte offset of slot 0. */
    static final int RING_OFFSET = HEADER_BYTES;
    /** The file is a whole number of these. */
    static final int PAGE_BYTES = 4096;

    static
    {
        // The register block must end inside the header page.
        if (REGISTERS_OFFSET + MappedQueueRegisters.LENGTH > LEASES_OFFSET || LEASES_OFFSET + LEASES_BYTES > RECOVERY_LOCK_OFFSET ||
            RECOVERY_LOCK_OFFSET + 128 > HEADER_BYTES)
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
        return stateOffset(log2Size) + pages(stateBytes(log2Size));
    }

    /**
     * @param log2Size log2 of the ring's entries (checked).
     * @return offset of the first claim record: right after the ring's pages.
     */
    static long claimRecordsOffset(final int log2Size)
    {
        final long ringBytes = (long)QueueIndex.capacity(QueueIndex.checkLog2Size(log2Size)) << RingMemory.ENTRY_SHIFT;
        return RING_OFFSET + pages(ringBytes);
    }

    /**
     * @param log2Size log2 of the ring's entries (checked).
     * @return offset of the cmdq state: right after the claim records.
     */
    static long stateOffset(final int log2Size)
    {
        return claimRecordsOffset(log2Size) + CLAIM_RECORDS_BYTES;
    }

    /**
     * @param log2Size log2 of the ring's entries (checked).
     * @return bytes of the cmdq state; rings below 64 slots (which Linux's algorithm refuses anyway) get
     *         the state of a 64-slot ring, so every file has one.
     */
    static int stateBytes(final int log2Size)
    {
        return SharedCmdqState.length(Math.max(QueueIndex.checkLog2Size(log2Size), 6));
    }

    private static long pages(final long bytes)
    {
        return (bytes + PAGE_BYTES - 1) & -(long)PAGE_BYTES;
    }
}
