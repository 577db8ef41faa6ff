package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The real-mode meter counts every charge per kind, also from several threads at once, and reports its
 * costs. (How long a charge burns is a timing and is not asserted here.)
 */
class BusyWaitCostMeterTest
{
    @Test
    void chargesAreCountedPerKind()
    {
        final ModelledCosts costs = new ModelledCosts(0, 0);
        final BusyWaitCostMeter meter = new BusyWaitCostMeter(costs);
        meter.charge(CostKind.VM_EXIT);
        meter.charge(CostKind.VM_EXIT);
        meter.charge(CostKind.SYSCALL);
        assertEquals(2, meter.count(CostKind.VM_EXIT));
        assertEquals(1, meter.count(CostKind.SYSCALL));
        assertSame(costs, meter.costs());
        assertEquals("BusyWaitCostMeter{modelled costs: vmExit=0ns syscall=0ns, exits=2, syscalls=1}", meter.toString());
    }

    @Test
    void concurrentChargesAreAllCounted() throws InterruptedException
    {
        final BusyWaitCostMeter meter = new BusyWaitCostMeter(new ModelledCosts(1, 0));
        final int perThread = 20_000;
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < perThread; i++)
                {
                    meter.charge(CostKind.VM_EXIT);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(2L * perThread, meter.count(CostKind.VM_EXIT));
        assertEquals(0, meter.count(CostKind.SYSCALL));
    }
}
