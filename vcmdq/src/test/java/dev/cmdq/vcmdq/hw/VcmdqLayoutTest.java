package dev.cmdq.vcmdq.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cmdq.queue.MappedQueueRegisters;
import org.junit.jupiter.api.Test;

/**
 * The VCMDQ block: page 0 starts with a {@link MappedQueueRegisters} block, every register on its own
 * line, and BASE packs LOG2SIZE 4:0 and the address 47:5 (vcmdq-viommu.md §1.6).
 */
class VcmdqLayoutTest
{
    @Test
    void registersEachHaveTheirOwnLine()
    {
        assertEquals(512, VcmdqLayout.CONFIG);
        assertEquals(640, VcmdqLayout.STATUS);
        assertEquals(768, VcmdqLayout.BASE);
        assertEquals(896, VcmdqLayout.CONS_INDX_BASE);
        assertEquals(1024, VcmdqLayout.LENGTH);
    }

    @Test
    void basePacksAddressAndLog2Size()
    {
        assertEquals(0x0000_FFFF_FFFF_FFE0L | 19, VcmdqLayout.base(0x0000_FFFF_FFFF_FFE0L, 19));
        assertEquals(0x8000_1000L, VcmdqLayout.address(0x8000_1013L));
        assertEquals(0x13, VcmdqLayout.log2Size(0x8000_1013L));
        assertThrows(IllegalArgumentException.class, () -> VcmdqLayout.base(0x8000_1010L, 4), "not 32-byte aligned");
        assertThrows(IllegalArgumentException.class, () -> VcmdqLayout.base(1L << 48, 4), "above bit 47");
        assertThrows(IllegalArgumentException.class, () -> VcmdqLayout.base(0x1000, 32));
    }
}
