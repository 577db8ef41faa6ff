package dev.cmdq.vcmdq.vmm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The STE re-install through the host's iommufd: the host issues CFGI_STE (opcode 0x03, SID 63:32, Leaf
 * dword1 bit 0) for the device's pSID, then a CMD_SYNC, on the main CMDQ of the vIOMMU's SMMU; false for
 * anything it cannot resolve.
 */
class BackendSteInstallerTest
{
    private final VmmRig rig = new VmmRig(TopologyKind.FANNED_OUT, ForwardingPolicy.BATCHED);
    private final BackendSteInstaller installer = new BackendSteInstaller(rig.iommufd);

    @AfterEach
    void close()
    {
        rig.close();
    }

    @Test
    void reinstallIssuesCfgiSteForThePsidAndASyncOnTheRightSmmu()
    {
        final int v = rig.attach(1, 0x2A0, 0x8);
        assertTrue(installer.reinstall(v, 0x8));
        assertEquals(0, rig.smmu0.recorded);
        assertEquals(2, rig.smmu1.recorded);
        VmmRig.assertWords(rig.smmu1, 0, 0x03 | (0x2A0L << 32), 1);
        VmmRig.assertHostSync(rig.smmu1, 1);
    }

    @Test
    void anUnknownVsidOrViommuIsAFailureNotAnException()
    {
        final int v = rig.attach(0, 0x100, 0x8);
        assertFalse(installer.reinstall(v, 0x9));
        assertFalse(installer.reinstall(v + 1000, 0x8));
        assertEquals(0, rig.smmu0.recorded);
    }
}
