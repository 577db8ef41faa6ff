package dev.cmdq.queue.testkit;

import dev.cmdq.queue.QueueRegisters;

/**
 * {@link QueueRegisters} that log every access to an {@link AccessLog} (reads as acquire, writes as
 * release, as the interface promises) and otherwise behave as plain registers backed by volatile
 * fields. For ordering tests.
 */
public final class RecordingQueueRegisters implements QueueRegisters
{
    private final AccessLog log;
    private volatile int prod;
    private volatile int cons;
    private volatile int gerror;
    private volatile int gerrorn;

    /**
     * @param log where accesses go.
     */
    public RecordingQueueRegisters(final AccessLog log)
    {
        this.log = log;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getProdAcquire()
    {
        final int v = prod;
        log.add("PROD", AccessLog.Kind.ACQUIRE_READ, 0, v);
        return v;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putProdRelease(final int value)
    {
        log.add("PROD", AccessLog.Kind.RELEASE_WRITE, 0, value);
        prod = value;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getConsAcquire()
    {
        final int v = cons;
        log.add("CONS", AccessLog.Kind.ACQUIRE_READ, 0, v);
        return v;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putConsRelease(final int value)
    {
        log.add("CONS", AccessLog.Kind.RELEASE_WRITE, 0, value);
        cons = value;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getGerrorAcquire()
    {
        final int v = gerror;
        log.add("GERROR", AccessLog.Kind.ACQUIRE_READ, 0, v);
        return v;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putGerrorRelease(final int value)
    {
        log.add("GERROR", AccessLog.Kind.RELEASE_WRITE, 0, value);
        gerror = value;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getGerrornAcquire()
    {
        final int v = gerrorn;
        log.add("GERRORN", AccessLog.Kind.ACQUIRE_READ, 0, v);
        return v;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putGerrornRelease(final int value)
    {
        log.add("GERRORN", AccessLog.Kind.RELEASE_WRITE, 0, value);
        gerrorn = value;
    }
}
