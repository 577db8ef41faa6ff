package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.QueueRegisters;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Objects;

/**
 * Report instrumentation for the direct path: the mapped registers of a guest VCMDQ with every access
 * counted in an Agrona counter, so a report can set the guest's register accesses on the VCMDQ path
 * (none of which exits) beside the trapped path's exits. A real VMM cannot count accesses to a mapped
 * page; this decorator is the model's measuring tape, not part of the data path: it adds one atomic
 * add per access, so benchmarks measure {@link VintfPage0#registers} instead.
 *
 * <p>Thread-safe as the registers are: any vCPU may use it concurrently (the count is an atomic add).
 */
public final class CountedQueueRegisters implements QueueRegisters
{
    private final QueueRegisters mapped;
    private final AtomicCounter accesses;

    /**
     * @param mapped   the mapped registers.
     * @param accesses where every access is counted.
     */
    public CountedQueueRegisters(final QueueRegisters mapped, final AtomicCounter accesses)
    {
        this.mapped = Objects.requireNonNull(mapped, "mapped");
        this.accesses = Objects.requireNonNull(accesses, "accesses");
    }

    @Override
    public int getProdAcquire()
    {
        accesses.increment();
        return mapped.getProdAcquire();
    }

    @Override
    public void putProdRelease(final int value)
    {
        accesses.increment();
        mapped.putProdRelease(value);
    }

    @Override
    public int getConsAcquire()
    {
        accesses.increment();
        return mapped.getConsAcquire();
    }

    @Override
    public void putConsRelease(final int value)
    {
        accesses.increment();
        mapped.putConsRelease(value);
    }

    @Override
    public int getGerrorAcquire()
    {
        accesses.increment();
        return mapped.getGerrorAcquire();
    }

    @Override
    public void putGerrorRelease(final int value)
    {
        accesses.increment();
        mapped.putGerrorRelease(value);
    }

    @Override
    public int getGerrornAcquire()
    {
        accesses.increment();
        return mapped.getGerrornAcquire();
    }

    @Override
    public void putGerrornRelease(final int value)
    {
        accesses.increment();
        mapped.putGerrornRelease(value);
    }
}
