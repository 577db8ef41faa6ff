package dev.cmdq.vcmdq.testbed;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VmSmmu} as the testbed wires it: a fanned-out vSMMU has no physical SMMU and no VCMDQs and its
 * guest uses the emulated CMDQ; a VCMDQ vSMMU copies one physical SMMU, has its 2 HW queues with rings
 * in the VM's RAM, a vEVENTQ, and its guest uses the VCMDQs; out-of-range queues are refused by name.
 */
class VmSmmuTest
{
    @Test
    void eachPathWiresItsVsmmu()
    {
        try (Platform platform = Platform.builder().smmus(2).execution(i -> new CommandLog()).build())
        {
            final Vm trapped = platform.createVm(VmConfig.of("t", GuestPath.TRAPPED_BATCHED, 3));
            final VmSmmu fanned = trapped.smmu(0);
            assertEquals(-1, fanned.physicalSmmu());
            assertEquals(0, fanned.vcmdqCount());
            assertNull(fanned.vcmdqs());
            assertSame(fanned.emulated(), fanned.guest());
            assertEquals(0, fanned.veventqId());
            assertEquals(3, fanned.guest().vcpuCount());
            assertTrue(trapped.memory().contains(fanned.cmdqGpa(), 16 << trapped.config().queueLog2Size()), "ring in the VM's RAM");

            final Vm direct = platform.createVm(VmConfig.of("d", GuestPath.VCMDQ, 3));
            direct.attach(0x8, platform.bindDevice(1, 0x100));
            final VmSmmu copy = direct.smmu(0);
            assertEquals(1, copy.physicalSmmu());
            assertEquals(2, copy.vcmdqCount());
            assertSame(copy.vcmdqs(), copy.guest());
            assertEquals(2, copy.guest().queueCount());
            assertNotEquals(0, copy.veventqId());
            assertNotEquals(copy.hwQueueId(0), copy.hwQueueId(1));
            for (int q = 0; q < 2; q++)
            {
                assertTrue(direct.memory().contains(copy.vcmdqGpa(q), 16 << direct.config().queueLog2Size()), "VCMDQ ring " + q);
                assertEquals(0, copy.vcmdqGpa(q) & ((16L << direct.config().queueLog2Size()) - 1), "ring aligned to its size");
            }
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> copy.hwQueueId(2)).getMessage().contains("lvcmdq=2"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> fanned.vcmdqRegisters(0)).getMessage().contains("lvcmdq=0"));
        }
    }
}
