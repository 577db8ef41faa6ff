package dev.cmdq.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobalErrorTest
{
    @Test
    void bitsAreTheSpecPositions()
    {
        // smmuv3-cmdq.md §1.5.
        assertEquals(1 << 0, GlobalError.CMDQ_ERR);
        assertEquals(1 << 2, GlobalError.EVTQ_ABT_ERR);
        assertEquals(1 << 3, GlobalError.PRIQ_ABT_ERR);
        assertEquals(1 << 4, GlobalError.MSI_CMDQ_ABT_ERR);
        assertEquals(1 << 5, GlobalError.MSI_EVTQ_ABT_ERR);
        assertEquals(1 << 6, GlobalError.MSI_PRIQ_ABT_ERR);
        assertEquals(1 << 7, GlobalError.MSI_GERROR_ABT_ERR);
        assertEquals(1 << 8, GlobalError.SFM_ERR);
        assertEquals(0x1FD, GlobalError.ALL);
        assertEquals(GlobalError.ALL, GlobalError.CMDQ_ERR | GlobalError.EVTQ_ABT_ERR | GlobalError.PRIQ_ABT_ERR |
            GlobalError.MSI_CMDQ_ABT_ERR | GlobalError.MSI_EVTQ_ABT_ERR | GlobalError.MSI_PRIQ_ABT_ERR |
            GlobalError.MSI_GERROR_ABT_ERR | GlobalError.SFM_ERR);
    }

    @Test
    void activeIsTheDifferenceMasked()
    {
        assertEquals(0, GlobalError.active(0, 0));
        assertEquals(0, GlobalError.active(0x1FD, 0x1FD));
        assertEquals(1, GlobalError.active(1, 0));
        assertEquals(1, GlobalError.active(0, 1), "a toggle either way is active");
        assertEquals(0, GlobalError.active(0x2, 0), "bit 1 is not an error bit");
        assertEquals(0, GlobalError.active(0xFFFF_FE00, 0), "bits above 8 are not error bits");
    }

    @Test
    void raiseTogglesOnlyInactiveBits()
    {
        // Every combination of GERROR/GERRORN for the CMDQ_ERR bit, against the toggle rule written out.
        for (int gerror = 0; gerror < 2; gerror++)
        {
            for (int gerrorn = 0; gerrorn < 2; gerrorn++)
            {
                final boolean active = gerror != gerrorn;
                final int expected = active ? gerror : gerror ^ 1;
                assertEquals(expected, GlobalError.raise(gerror, gerrorn, GlobalError.CMDQ_ERR));
            }
        }
        // Several bits at once: MSI_CMDQ_ABT_ERR already active stays, CMDQ_ERR flips.
        assertEquals(0x10, GlobalError.raise(0x11, 0x01, 0x11));
        assertEquals(0x10, GlobalError.raise(0x11, 0x01, 0x11) & 0x10, "MSI bit unchanged (active)");
        assertEquals(0x00, GlobalError.raise(0x11, 0x01, 0x11) & 0x01, "CMDQ_ERR flipped 1 -> 0");
        assertEquals(0, GlobalError.raise(0, 0, 0x2), "non-error bits are never raised");
        // After a raise the bit is active; after GERRORN := GERROR it is not; the next raise flips back.
        final int g1 = GlobalError.raise(0, 0, GlobalError.CMDQ_ERR);
        assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(g1, 0));
        final int g2 = GlobalError.raise(g1, g1, GlobalError.CMDQ_ERR);
        assertEquals(0, g2);
        assertEquals(GlobalError.CMDQ_ERR, GlobalError.active(g2, g1));
    }
}
