package dev.cmdq.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandErrorTest
{
    @Test
    void codesAreTheSpecValues()
    {
        // smmuv3-cmdq.md §1.4 (kernel CMDQ_ERR_CERROR_*_IDX, QEMU SMMU_CERROR_*, tegra241 ILL_ACCESS).
        assertEquals(0, CommandError.NONE);
        assertEquals(1, CommandError.ILL);
        assertEquals(2, CommandError.ABT);
        assertEquals(3, CommandError.ATC_INV_SYNC);
        assertEquals(4, CommandError.ILL_ACCESS);
    }

    @Test
    void namesForReports()
    {
        assertEquals("CERROR_NONE", CommandError.name(0));
        assertEquals("CERROR_ILL", CommandError.name(1));
        assertEquals("CERROR_ABT", CommandError.name(2));
        assertEquals("CERROR_ATC_INV_SYNC", CommandError.name(3));
        assertEquals("CERROR_ILL_ACCESS", CommandError.name(4));
        assertEquals("CERROR_99", CommandError.name(99));
    }
}
