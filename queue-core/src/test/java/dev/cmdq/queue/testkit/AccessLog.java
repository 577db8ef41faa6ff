package dev.cmdq.queue.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An ordered log of memory and register accesses, shared by {@link RecordingQueueRegisters} and
 * {@link RecordingRingMemory}, so a test can pin the <em>order</em> of plain and release stores that
 * x86 would forgive (InOrder-style verification: "entry written, then PROD released").
 */
public final class AccessLog
{
    /** What kind of access. */
    public enum Kind
    {
        /** A plain load. */
        PLAIN_READ,
        /** A load with acquire (or stronger) semantics. */
        ACQUIRE_READ,
        /** A plain store. */
        PLAIN_WRITE,
        /** A store with release (or stronger) semantics. */
        RELEASE_WRITE
    }

    /**
     * One access.
     *
     * @param target "PROD", "CONS", "GERROR", "GERRORN" or "RING".
     * @param kind   the access kind.
     * @param offset byte offset for RING, 0 for registers.
     * @param value  the value stored or loaded (widened).
     */
    public record Event(String target, Kind kind, int offset, long value)
    {
        /**
         * @return true for a store.
         */
        public boolean isWrite()
        {
            return kind == Kind.PLAIN_WRITE || kind == Kind.RELEASE_WRITE;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private boolean recording = true;

    /**
     * Appends an access (if recording).
     *
     * @param target what was accessed.
     * @param kind   how.
     * @param offset where in a ring.
     * @param value  the value.
     */
    public synchronized void add(final String target, final Kind kind, final int offset, final long value)
    {
        if (recording)
        {
            events.add(new Event(target, kind, offset, value));
        }
    }

    /**
     * @param recording whether accesses are logged from now on.
     */
    public synchronized void recording(final boolean recording)
    {
        this.recording = recording;
    }

    /**
     * Forgets every logged access.
     */
    public synchronized void clear()
    {
        events.clear();
    }

    /**
     * @return a copy of the log.
     */
    public synchronized List<Event> events()
    {
        return new ArrayList<>(events);
    }

    /**
     * @param filter which events.
     * @return a copy of the matching events, in order.
     */
    public synchronized List<Event> events(final Predicate<Event> filter)
    {
        final List<Event> out = new ArrayList<>();
        for (final Event e : events)
        {
            if (filter.test(e))
            {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param filter which events.
     * @return index in the log of the first match, or -1.
     */
    public synchronized int indexOfFirst(final Predicate<Event> filter)
    {
        for (int i = 0; i < events.size(); i++)
        {
            if (filter.test(events.get(i)))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param filter which events.
     * @return index in the log of the last match, or -1.
     */
    public synchronized int indexOfLast(final Predicate<Event> filter)
    {
        for (int i = events.size() - 1; i >= 0; i--)
        {
            if (filter.test(events.get(i)))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param target a register name.
     * @return a filter for release stores to it.
     */
    public static Predicate<Event> releaseWriteOf(final String target)
    {
        return e -> e.target().equals(target) && e.kind() == Kind.RELEASE_WRITE;
    }

    /**
     * @param offset first byte of a ring slot.
     * @param length bytes of the slot.
     * @return a filter for stores (of any kind) that touch that slot.
     */
    public static Predicate<Event> ringWriteWithin(final int offset, final int length)
    {
        return e -> e.target().equals("RING") && e.isWrite() && e.offset() >= offset && e.offset() < offset + length;
    }

    @Override
    public synchronized String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Event e : events)
        {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }
}
