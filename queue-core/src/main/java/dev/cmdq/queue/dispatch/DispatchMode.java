package dev.cmdq.queue.dispatch;

/**
 * Who runs the single writer ({@link Dispatcher}) of a {@link DispatchIssuer}.
 */
public enum DispatchMode
{
    /**
     * A dedicated thread runs the writer as an Agrona {@code AgentRunner}; requesters only hand over
     * their calls and wait. On a host with few cores the writer competes with the requesters for them.
     */
    WRITER_THREAD,

    /**
     * No extra thread: a waiting requester that wins the CAS on the writer flag runs one drain (the
     * agent's duty cycle) itself, serving everybody queued, then gives the flag back.
     */
    COMBINING
}
