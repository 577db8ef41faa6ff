package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Trap handling names, and which rows use the SID-dependent handlings (smmuv3-cmdq.md §5.2, §5.3).
 */
class TrapHandlingTest
{
    @Test
    void namesAndTheRowsThatDependOnTheSid()
    {
        assertEquals("REINSTALL_BY_RANGE", TrapHandling.name(TrapHandling.REINSTALL_BY_RANGE));
        assertEquals("TRAP_9", TrapHandling.name(9));
        final StringBuilder bySid = new StringBuilder();
        for (int i = 0; i < CommandRuleTable.rowCount(); i++)
        {
            final CommandRule row = CommandRuleTable.rowAt(i);
            final int h = row.trapHandling();
            if (h == TrapHandling.FORWARD_BY_SID || h == TrapHandling.REINSTALL_BY_SID || h == TrapHandling.REINSTALL_BY_RANGE)
            {
                bySid.append(row.name()).append(' ');
            }
        }
        assertEquals("CFGI_STE CFGI_STE_RANGE CFGI_CD CFGI_CD_ALL ATC_INV ", bySid.toString());
    }
}
