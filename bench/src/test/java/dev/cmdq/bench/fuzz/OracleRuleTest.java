package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Rule names are distinct and name every rule.
 */
class OracleRuleTest
{
    @Test
    void everyRuleHasItsOwnName()
    {
        final Set<String> names = new HashSet<>();
        for (int r = 0; r < OracleRule.COUNT; r++)
        {
            names.add(OracleRule.name(r));
        }
        assertEquals(OracleRule.COUNT, names.size());
        assertEquals("UNMATCHED_SID", OracleRule.name(OracleRule.UNMATCHED_SID));
        assertEquals("RULE_99", OracleRule.name(99));
    }
}
