package dev.cmdq.queue;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * How queue-core writes and recognises a completion entry (an SMMU CMD_SYNC) without knowing any
 * opcode: smmu-commands implements it with CMD_SYNC, tests with a format of their own.
 *
 * <p>A completion entry either asks the device for a <em>write-back</em> — a 32-bit store of
 * {@link #writeBackValue} at {@link #writeBackAddress} (Linux's MSI polling, where the address is the
 * sync's own slot and the value 0) — or for nothing, in which case its waiter polls CONS.
 *
 * <p>A waiter recognises completion by the word becoming {@link #writeBackValue}, so an entry that asks
 * for a write-back into its own slot must not already hold that value in the written word (a CMD_SYNC
 * has its opcode there; MSIDATA 0 differs). {@link SingleWriterProducer#claimCompletion} checks it.
 */
public interface CompletionEntry
{
    /** {@link #writeBackAddress} result of an entry that asks for no memory write. */
    long NO_WRITE_BACK = -1L;

    /**
     * Encodes a completion entry, overwriting all 16 bytes.
     *
     * @param buffer           the ring (or any buffer).
     * @param offset           byte offset of the slot.
     * @param writeBackAddress device address the device must write on completion, or
     *                         {@link #NO_WRITE_BACK} for a CONS-polled completion.
     */
    void write(MutableDirectBuffer buffer, int offset, long writeBackAddress);

    /**
     * @param buffer the ring.
     * @param offset byte offset of the slot.
     * @return true when the entry is a completion entry.
     */
    boolean isCompletion(DirectBuffer buffer, int offset);

    /**
     * @param buffer the ring.
     * @param offset byte offset of a completion entry.
     * @return the device address to write on completion, or {@link #NO_WRITE_BACK}.
     */
    long writeBackAddress(DirectBuffer buffer, int offset);

    /**
     * @param buffer the ring.
     * @param offset byte offset of a completion entry.
     * @return the 32-bit value the device writes (MSIDATA).
     */
    int writeBackValue(DirectBuffer buffer, int offset);

    /**
     * Checks that a write-back completion of this format is observable: the word the device writes must
     * not already hold the write-back value, or a waiter could not tell completion from no completion.
     *
     * @param completion  the format.
     * @param slotAddress a real device address of a slot (a format may refuse address 0, as CMD_SYNC's
     *                    MSIADDR does).
     * @throws IllegalArgumentException naming the format and value when the write-back is unobservable.
     */
    static void requireObservableWriteBack(final CompletionEntry completion, final long slotAddress)
    {
        final UnsafeBuffer probe = new UnsafeBuffer(new byte[16]);
        completion.write(probe, 0, slotAddress);
        final int value = completion.writeBackValue(probe, 0);
        if (probe.getInt(0) == value)
        {
            throw new IllegalArgumentException("completion format " + completion.getClass().getName() +
                " already holds its write-back value 0x" + Integer.toHexString(value) +
                " in its first word: a write-back wait could not tell completion from no completion");
        }
    }
}
