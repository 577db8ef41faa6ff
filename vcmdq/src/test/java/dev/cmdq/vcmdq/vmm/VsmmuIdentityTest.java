package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ID register values against the bit positions of smmuv3-cmdq.md §1.3, typed as literals.
 */
class VsmmuIdentityTest
{
    @Test
    void qemuDefaultAdvertisesCmdqs19RilAtsAndSixteenBitSids()
    {
        final VsmmuIdentity id = VsmmuIdentity.qemuDefault();
        assertEquals(0x140A, id.idr0(), "ASID16 (12) | ATS (10) | TTF=2 (3:2) | S1P (1); MSI (13), SEV (14), S2P (0) clear");
        assertEquals(0x0260_0010, id.idr1(), "CMDQS 19 at 25:21, SIDSIZE 16");
        assertEquals(0x400, id.idr3(), "RIL (10)");
    }

    @Test
    void outOfRangeValuesAreRefusedByName()
    {
        assertEquals("cmdqLog2Max=20 is not in 0..19",
            assertThrows(IllegalArgumentException.class, () -> new VsmmuIdentity(20, true, true, 16)).getMessage());
        assertEquals("sidBits=0 is not in 1..32",
            assertThrows(IllegalArgumentException.class, () -> new VsmmuIdentity(8, true, true, 0)).getMessage());
    }
}
