package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.vmm.ModelledCosts;
import dev.cmdq.vcmdq.vmm.TopologyKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VmConfig}: the defaults as documented, copies, and every out-of-range field refused by name.
 */
class VmConfigTest
{
    @Test
    void defaultsAreTheDocumentedOnes()
    {
        final VmConfig config = VmConfig.of("vm", GuestPath.VCMDQ, 3);
        assertEquals(0x4000_0000L, config.ramBase());
        assertEquals(1 << 20, config.ramBytes());
        assertEquals(8, config.queueLog2Size());
        assertEquals(2, config.vcmdqs(), "QEMU exposes 2 logical VCMDQs");
        assertEquals(ModelledCosts.NONE, config.costs());
        assertEquals(TopologyKind.PER_PHYSICAL_SMMU, config.topology());
        assertEquals(TopologyKind.FANNED_OUT, VmConfig.of("t", GuestPath.TRAPPED_BATCHED, 1).topology(), "the path's topology");
        assertEquals(TopologyKind.PER_PHYSICAL_SMMU,
            VmConfig.of("t", GuestPath.TRAPPED_BATCHED, 1).withTopology(TopologyKind.PER_PHYSICAL_SMMU).topology());
        assertEquals(10, config.withQueueLog2Size(10).queueLog2Size());
        final ModelledCosts costs = new ModelledCosts(100, 50);
        assertEquals(costs, config.withCosts(costs).costs());
    }

    @Test
    void outOfRangeFieldsAreNamed()
    {
        final VmConfig ok = VmConfig.of("vm", GuestPath.VCMDQ, 1);
        assertNamed("topology=FANNED_OUT cannot carry VCMDQs", () -> ok.withTopology(TopologyKind.FANNED_OUT));
        assertNamed("vcpus=0", () -> VmConfig.of("vm", GuestPath.VCMDQ, 0));
        assertNamed("queueLog2Size=6", () -> ok.withQueueLog2Size(6));
        assertNamed("queueLog2Size=20", () -> ok.withQueueLog2Size(20));
        assertNamed("vcmdqs=0", () -> new VmConfig("vm", GuestPath.VCMDQ, TopologyKind.PER_PHYSICAL_SMMU, 1, 0, 4096, 8, 0, 1, ModelledCosts.NONE));
        assertNamed("veventqDepth=0", () -> new VmConfig("vm", GuestPath.VCMDQ, TopologyKind.PER_PHYSICAL_SMMU, 1, 0, 4096, 8, 1, 0, ModelledCosts.NONE));
    }

    private static void assertNamed(final String text, final org.junit.jupiter.api.function.Executable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
