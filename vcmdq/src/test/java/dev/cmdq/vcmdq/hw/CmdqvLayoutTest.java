package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Packed CMDQV fields against values typed from vcmdq-viommu.md §1.3 / §1.5 / §1.8.
 */
class CmdqvLayoutTest
{
    @Test
    void offsetsAreTheHardwares()
    {
        assertEquals(0x1000, CmdqvLayout.vintf(0));
        assertEquals(0x1100 * 1 + 0x200, CmdqvLayout.vintf(3));
        assertEquals(0x1000 + 0x100 * 64, CmdqvLayout.pageBytes(64));
    }

    @Test
    void vintfConfigPacksEnableVmidAndHypOwn()
    {
        // bit0 ENABLE, bits16:1 VMID, bit17 HYP_OWN.
        assertEquals(0x3_FFFF, CmdqvLayout.vintfConfig(0xFFFF, true, true));
        assertEquals(0x2 * 0x1234, CmdqvLayout.vintfConfig(0x1234, false, false));
        assertEquals(0x1234, CmdqvLayout.vmid(0x2 * 0x1234 | 0x2_0001));
        assertThrows(IllegalArgumentException.class, () -> CmdqvLayout.vintfConfig(0x1_0000, false, true));
    }

    @Test
    void cmdqAllocPacksAllocatedLvcmdqAndVintf()
    {
        // bit0 ALLOCATED, bits7:1 LVCMDQ, bits20:15 VINTF.
        assertEquals(0x1F_80FF, CmdqvLayout.cmdqAlloc(63, 127, true));
        assertEquals(63, CmdqvLayout.allocVintf(0x1F_80FF));
        assertEquals(127, CmdqvLayout.allocLvcmdq(0x1F_80FF));
        assertThrows(IllegalArgumentException.class, () -> CmdqvLayout.cmdqAlloc(64, 0, true));
        assertThrows(IllegalArgumentException.class, () -> CmdqvLayout.cmdqAlloc(0, 128, true));
    }

    @Test
    void sidMatchIsVsidShiftedOneWithEnable()
    {
        assertEquals(0x43, CmdqvLayout.sidMatch(0x21));
        assertEquals(0x1F_FFFF, CmdqvLayout.sidMatch(0xF_FFFF));
        assertThrows(IllegalArgumentException.class, () -> CmdqvLayout.sidMatch(0x10_0000));
        assertThrows(IllegalArgumentException.class, () -> CmdqvLayout.sidMatch(-1));
    }
}
