package dev.cmdq.bench.ring;

/**
 * A preallocated on-heap 16-byte payload holder, so the object-queue peer (JCTools) moves the same
 * payload as the off-heap rings without allocating: holders are recycled round-robin from a pool
 * larger than the queue, so one is never rewritten while still queued.
 */
final class Entry16
{
    long dword0;
    long dword1;
}
