package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The named modelled costs: per kind, validated, and printed so a report shows them.
 */
class ModelledCostsTest
{
    @Test
    void eachKindHasItsOwnCostAndTheReportNamesThem()
    {
        final ModelledCosts costs = new ModelledCosts(1500, 300);
        assertEquals(1500, costs.nanos(CostKind.VM_EXIT));
        assertEquals(300, costs.nanos(CostKind.SYSCALL));
        assertEquals("modelled costs: vmExit=1500ns syscall=300ns", costs.toString());
        assertEquals("modelled costs: vmExit=0ns syscall=0ns", ModelledCosts.NONE.toString());
    }

    @Test
    void aNegativeCostIsRefusedByName()
    {
        assertEquals("vmExitNs=-1 is negative",
            assertThrows(IllegalArgumentException.class, () -> new ModelledCosts(-1, 0)).getMessage());
        assertEquals("syscallNs=-2 is negative",
            assertThrows(IllegalArgumentException.class, () -> new ModelledCosts(0, -2)).getMessage());
    }
}
