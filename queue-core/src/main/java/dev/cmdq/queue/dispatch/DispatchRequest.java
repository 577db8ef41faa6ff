package dev.cmdq.queue.dispatch;

import org.agrona.DirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One requester's call as the writer sees it: where its commands are, how many, whether it wants a
 * sync, and a state word through which ownership passes between the requester and the writer. Records
 * are preallocated per requester thread and reused, so handing a call to the writer allocates nothing.
 *
 * <pre>
 *  requester                         writer
 *  FREE --fill, PENDING, offer--&gt;    PENDING --cas--&gt; TAKEN --copy, publish--&gt; OK            (no sync)
 *                                                             \--------------&gt; INSERTED --cas--&gt; status
 *  PENDING  --cas (gives up)--&gt; CANCELLED   writer polls it, skips it: --&gt; FREE
 *  INSERTED --cas (gives up)--&gt; ABANDONED   writer finishes the group:  --&gt; FREE
 *  status (OK or a negative IssueStatus code) --requester reads it--&gt; FREE
 * </pre>
 *
 * <p>Why a requester can give up only in PENDING and INSERTED: in TAKEN the writer is copying from the
 * requester's buffer (no wait happens between taking and publishing, so TAKEN lasts a copy), and the
 * caller may reuse its buffer only after the copy. A record leaves the writer's hands (FREE) only after
 * the writer polled it from the handoff queue, so a record is never in the queue twice.
 *
 * <p>Ordering: the requester fills the plain fields before it offers the record (the queue's offer is a
 * release, the writer's poll an acquire); every state change is a release store or a CAS, every read an
 * acquire load, so a status is seen only with everything the writer did before it.
 */
final class DispatchRequest
{
    /** Owned by its requester, not in the queue. */
    static final int FREE = 1;
    /** In the handoff queue, not yet taken. */
    static final int PENDING = 2;
    /** Being copied into the ring by the writer. */
    static final int TAKEN = 3;
    /** In the ring and published; waiting for the group's sync. */
    static final int INSERTED = 4;
    /** Given up by the requester while PENDING; the writer frees it when it polls it. */
    static final int CANCELLED = 5;
    /** Given up by the requester while INSERTED; the writer frees it when the group completes. */
    static final int ABANDONED = 6;

    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(DispatchRequest.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * The requester thread the record belongs to (records are made per thread, on it): the writer wakes
     * it when the record's status is final, so a requester that backed off into a park does not sleep
     * out its park after its call completed.
     */
    private final Thread owner = Thread.currentThread();

    /** Written by the requester before the offer, read by the writer after the poll. */
    DirectBuffer commands;
    int offset;
    int count;
    boolean sync;

    @SuppressWarnings("unused")
    private volatile int state = FREE;

    /**
     * @return the state (acquire).
     */
    int lvState()
    {
        return (int)STATE.getAcquire(this);
    }

    /**
     * @param value the new state (release: orders everything before it, e.g. the ring writes).
     */
    void soState(final int value)
    {
        STATE.setRelease(this, value);
    }

    /**
     * @param expected the state the caller believes the record is in.
     * @param value    the new state.
     * @return true when the record was in {@code expected} and is now in {@code value}.
     */
    boolean casState(final int expected, final int value)
    {
        return STATE.compareAndSet(this, expected, value);
    }

    /**
     * Ends the owner's park, if it is parked (a stale permit only ends one bounded park early); called by
     * the writer after it released the record. Nothing when the writer is the owner (a combiner).
     */
    void wakeOwner()
    {
        if (owner != Thread.currentThread())
        {
            LockSupport.unpark(owner);
        }
    }

    /**
     * Fills the call's fields; the requester owns the record (FREE).
     */
    void fill(final DirectBuffer commands, final int offset, final int count, final boolean sync)
    {
        this.commands = commands;
        this.offset = offset;
        this.count = count;
        this.sync = sync;
    }
}
