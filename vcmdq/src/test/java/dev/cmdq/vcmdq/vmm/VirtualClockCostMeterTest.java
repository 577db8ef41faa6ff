package dev.cmdq.vcmdq.vmm;

import dev.cmdq.queue.testkit.AllocationProbe;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Simulated time: charges add their modelled cost to the charging thread's clock and to the total,
 * counted per kind, without allocating once the thread's clock exists.
 */
class VirtualClockCostMeterTest
{
    @Test
    void eachThreadHasItsOwnClockAndTheTotalSumsThem() throws InterruptedException
    {
        final VirtualClockCostMeter meter = new VirtualClockCostMeter(new ModelledCosts(1000, 250));
        meter.charge(CostKind.VM_EXIT);
        meter.charge(CostKind.SYSCALL);
        meter.charge(CostKind.SYSCALL);
        assertEquals(1500, meter.virtualNanos());
        final long[] other = new long[1];
        final Thread vcpu = new Thread(() ->
        {
            meter.charge(CostKind.VM_EXIT);
            other[0] = meter.virtualNanos();
        });
        vcpu.start();
        vcpu.join();
        assertEquals(1000, other[0]);
        assertEquals(1500, meter.virtualNanos(), "the other thread's charge is not on this clock");
        assertEquals(2500, meter.totalVirtualNanos());
        assertEquals(2, meter.count(CostKind.VM_EXIT));
        assertEquals(2, meter.count(CostKind.SYSCALL));
    }

    @Test
    void warmChargesAllocateNothing()
    {
        final VirtualClockCostMeter meter = new VirtualClockCostMeter(new ModelledCosts(3, 5));
        final Runnable loop = () ->
        {
            for (int i = 0; i < 10_000; i++)
            {
                meter.charge((i & 1) == 0 ? CostKind.VM_EXIT : CostKind.SYSCALL);
            }
        };
        long bytes = -1;
        for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
        {
            bytes = AllocationProbe.bytesOnceWarm(loop, 100, 3);
        }
        assertEquals(0, bytes);
    }
}
