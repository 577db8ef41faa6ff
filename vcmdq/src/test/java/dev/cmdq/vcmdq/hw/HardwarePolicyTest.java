package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.smmu.validate.ReservedBits;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The policy's defaults (the assumptions the package doc names), its argument checks and its report
 * lines.
 */
class HardwarePolicyTest
{
    @Test
    void defaultsAreTheDocumentedAssumptions()
    {
        final HardwarePolicy p = HardwarePolicy.DEFAULT;
        assertEquals(16, p.quantum());
        assertTrue(p.rotate());
        assertEquals(4, p.forbiddenCommandError(), "CERROR_ILL_ACCESS");
        assertEquals(4, p.unmatchedSidError(), "CERROR_ILL_ACCESS");
        assertEquals(ReservedBits.IGNORED, p.reservedBits());
    }

    @Test
    void everyNamedAssumptionIsReported()
    {
        final List<String> lines = HardwarePolicy.DEFAULT.withQuantum(3).describe();
        final String[] names = {
            "arbitration=", "forbiddenCommand=", "unmatchedSid=", "fetchAbort=", "errorMap=", "vcmdqSync=",
            "enableUnmapped=", "reservedBits=",
        };
        assertEquals(names.length, lines.size());
        for (int i = 0; i < names.length; i++)
        {
            assertTrue(lines.get(i).startsWith(names[i]), lines.get(i));
        }
        assertTrue(lines.get(0).contains("quantum=3"), lines.get(0));
        assertTrue(lines.get(1).contains("CERROR_ILL_ACCESS"), lines.get(1));
    }

    @Test
    void withersChangeOneThing()
    {
        final HardwarePolicy p = HardwarePolicy.DEFAULT.withRotate(false).withReservedBits(ReservedBits.CHECKED);
        assertFalse(p.rotate());
        assertEquals(ReservedBits.CHECKED, p.reservedBits());
        assertEquals(16, p.quantum());
    }

    @Test
    void badArgumentsAreNamed()
    {
        final IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
            () -> HardwarePolicy.DEFAULT.withQuantum(0));
        assertTrue(q.getMessage().contains("quantum=0"), q.getMessage());
        final IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
            () -> new HardwarePolicy(1, true, 0, 4, ReservedBits.IGNORED));
        assertTrue(f.getMessage().contains("forbiddenCommandError=0"), f.getMessage());
        final IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
            () -> new HardwarePolicy(1, true, 4, 128, ReservedBits.IGNORED));
        assertTrue(u.getMessage().contains("unmatchedSidError=128"), u.getMessage());
        assertThrows(NullPointerException.class, () -> new HardwarePolicy(1, true, 4, 4, null));
    }
}
