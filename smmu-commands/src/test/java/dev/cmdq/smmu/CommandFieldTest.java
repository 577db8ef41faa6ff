package dev.cmdq.smmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cmdq.smmu.CommandField.Kind;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandField}: value and address reading/writing, fit checks, construction errors.
 */
class CommandFieldTest
{
    @Test
    void valueFieldsAreRightAlignedAndAddressesInPlace()
    {
        final CommandField vmid = new CommandField("vmid", 0, 32, 16, Kind.VALUE);
        assertEquals(0xABCDL, vmid.get(0x1234_ABCD_0000_0000L, 0));
        assertEquals(0x0000_ABCD_0000_0012L, vmid.put(0x12, 0x1_ABCDL), "over-wide value is masked");
        assertTrue(vmid.fits(0xFFFF));
        assertFalse(vmid.fits(0x1_0000));

        final CommandField addr = new CommandField("addr", 1, 12, 52, Kind.ADDRESS);
        assertEquals(0xFFFF_FFFF_FFFF_F000L, addr.get(0, -1L));
        assertTrue(addr.fits(0x7f00_0000_1000L));
        assertFalse(addr.fits(0x7f00_0000_1008L), "low bits set");
        assertEquals(0x7f00_0000_1FFFL, addr.put(0xFFF, 0x7f00_0000_1abcL));
        assertEquals("addr[dw1 63:12]", addr.toString());
        assertEquals("ssec[dw0 10]", CommandLayout.SSEC.toString());
    }

    @Test
    void constructionRejectsFieldsOutsideOneDword()
    {
        assertThrows(IllegalArgumentException.class, () -> new CommandField("x", 2, 0, 1, Kind.VALUE));
        assertThrows(IllegalArgumentException.class, () -> new CommandField("x", 0, 60, 8, Kind.VALUE));
        assertThrows(IllegalArgumentException.class, () -> new CommandField("x", 0, 0, 0, Kind.VALUE));
        assertThrows(IllegalArgumentException.class, () -> new CommandField("x", 0, 0, 2, Kind.FLAG));
    }
}
