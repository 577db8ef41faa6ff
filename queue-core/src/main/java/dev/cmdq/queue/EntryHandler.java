package dev.cmdq.queue;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The device's action on one entry, called by a consumer with a flyweight position over the slot
 * (never a copy). The slot is valid only during the call. A handler that throws has not executed the
 * entry: {@link QueueConsumer} stops before it and retries it on its next drain.
 */
@FunctionalInterface
public interface EntryHandler
{
    /**
     * Executes one entry.
     *
     * @param buffer the ring memory.
     * @param offset byte offset of the entry's slot.
     * @param cons   the CONS value (index and wrap) of the entry.
     * @return {@link CommandError#NONE} when executed; any other CERROR code stops the consumer
     *         <em>on</em> this entry.
     */
    int onEntry(AtomicBuffer buffer, int offset, int cons);
}
